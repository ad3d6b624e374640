import type { Credentials, Host, Session } from '@proofdrop/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../lib/api';

export const meKey = ['me'] as const;

/** Who is signed in: the host, or null when the session cookie is missing or expired. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async ({ signal }) => {
      try {
        return await api<Host>('/api/v1/auth/me', { signal });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Sign up or log in: the server sets the session cookie; the dashboard keeps no token of its own. */
export function useSignIn(kind: 'signup' | 'login') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials) =>
      api<Session>(`/api/v1/auth/${kind}`, { method: 'POST', body: credentials }),
    onSuccess: (session) => {
      queryClient.clear();
      queryClient.setQueryData(meKey, session.host);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/v1/auth/logout', { method: 'POST' }),
    onSuccess: () => {
      queryClient.clear();
      queryClient.setQueryData(meKey, null);
    },
  });
}
