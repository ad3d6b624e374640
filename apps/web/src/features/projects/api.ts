import type {
  Project,
  ProjectWithWebsites,
  SignatureVersion,
  Website,
  WebsiteInput,
  WebsitePatch,
} from '@proofdrop/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

export type { Project, ProjectWithWebsites, Website };

export const projectsKey = ['projects'] as const;
export const projectKey = (projectId: string) => ['project', projectId] as const;

const path = (projectId: string) => `/api/v1/projects/${encodeURIComponent(projectId)}`;

export function useProjects() {
  return useQuery({
    queryKey: projectsKey,
    queryFn: ({ signal }) => api<{ projects: Project[] }>('/api/v1/projects', { signal }),
  });
}

/** A project with its websites; waits while `projectId` is '' (a page still reading it from its giveaway). */
export function useProject(projectId: string) {
  return useQuery({
    queryKey: projectKey(projectId),
    queryFn: ({ signal }) => api<ProjectWithWebsites>(path(projectId), { signal }),
    enabled: projectId !== '',
  });
}

/** After any change to a project, its page and the list read it again. */
function useProjectMutation<I, O>(projectId: string, call: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: projectKey(projectId) }),
        queryClient.invalidateQueries({ queryKey: projectsKey }),
      ]),
  });
}

export function useCreateProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api<Project>('/api/v1/projects', { method: 'POST', body: { name } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectsKey }),
  });
}

export const useRenameProject = (projectId: string) =>
  useProjectMutation(projectId, (name: string) =>
    api<Project>(path(projectId), { method: 'PATCH', body: { name } }),
  );

export const useSetSignatureVersion = (projectId: string) =>
  useProjectMutation(projectId, (signatureVersion: SignatureVersion) =>
    api<Project>(path(projectId), { method: 'PATCH', body: { signatureVersion } }),
  );

export function useDeleteProject(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>(path(projectId), { method: 'DELETE' }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: projectKey(projectId) });
      return queryClient.invalidateQueries({ queryKey: projectsKey });
    },
  });
}

export const useRotateKey = (projectId: string) =>
  useProjectMutation(projectId, (graceHours: number) =>
    api<Project>(`${path(projectId)}/api-key/rotate`, { method: 'POST', body: { graceHours } }),
  );

export const useAddWebsite = (projectId: string) =>
  useProjectMutation(projectId, (website: WebsiteInput) =>
    api<Website>(`${path(projectId)}/websites`, { method: 'POST', body: website }),
  );

export const useEditWebsite = (projectId: string) =>
  useProjectMutation(projectId, ({ id, ...changes }: WebsitePatch & { id: string }) =>
    api<Website>(`${path(projectId)}/websites/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes }),
  );

export const useRemoveWebsite = (projectId: string) =>
  useProjectMutation(projectId, (websiteId: string) =>
    api<void>(`${path(projectId)}/websites/${encodeURIComponent(websiteId)}`, { method: 'DELETE' }),
  );
