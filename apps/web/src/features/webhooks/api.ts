import type { Delivery, Endpoint, EndpointInput, SecretRotationInput } from '@proofdrop/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

export type { Delivery, Endpoint as WebhookEndpoint };

const endpointsKey = (projectId: string) => ['webhooks', projectId] as const;
const deliveriesKey = (projectId: string, endpointId: string) =>
  ['webhooks', projectId, endpointId, 'deliveries'] as const;
const base = (projectId: string) => `/api/v1/projects/${encodeURIComponent(projectId)}/webhooks`;
const endpointPath = (projectId: string, endpointId: string) =>
  `${base(projectId)}/${encodeURIComponent(endpointId)}`;

export function useEndpoints(projectId: string) {
  return useQuery({
    queryKey: endpointsKey(projectId),
    queryFn: ({ signal }) => api<{ endpoints: Endpoint[] }>(base(projectId), { signal }),
  });
}

export function useDeliveries(projectId: string, endpointId: string, enabled: boolean) {
  return useQuery({
    queryKey: deliveriesKey(projectId, endpointId),
    queryFn: ({ signal }) =>
      api<{ deliveries: Delivery[] }>(`${endpointPath(projectId, endpointId)}/deliveries?limit=20`, {
        signal,
      }),
    enabled,
  });
}

function useEndpointMutation<I, O>(projectId: string, call: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: endpointsKey(projectId) }),
  });
}

export const useAddEndpoint = (projectId: string) =>
  useEndpointMutation(projectId, (input: EndpointInput) =>
    api<Endpoint>(base(projectId), { method: 'POST', body: input }),
  );

export const useEnableEndpoint = (projectId: string) =>
  useEndpointMutation(projectId, (endpointId: string) =>
    api<Endpoint>(`${endpointPath(projectId, endpointId)}/enable`, { method: 'POST' }),
  );

export const useRotateSecret = (projectId: string) =>
  useEndpointMutation(projectId, ({ endpointId, graceHours }: { endpointId: string; graceHours: number }) =>
    api<Endpoint>(`${endpointPath(projectId, endpointId)}/rotate-secret`, {
      method: 'POST',
      body: { graceHours } satisfies SecretRotationInput,
    }),
  );

export const useDeleteEndpoint = (projectId: string) =>
  useEndpointMutation(projectId, (endpointId: string) =>
    api<void>(endpointPath(projectId, endpointId), { method: 'DELETE' }),
  );

export const useRedeliver = (projectId: string, endpointId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (messageId: string) =>
      api<{ ok: true }>(
        `${endpointPath(projectId, endpointId)}/messages/${encodeURIComponent(messageId)}/redeliver`,
        { method: 'POST' },
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: deliveriesKey(projectId, endpointId) }),
  });
};
