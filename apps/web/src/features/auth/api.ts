import type {
  Credentials,
  Invite,
  PasswordChange,
  Session,
  SignedIn,
  SignupInput,
  SignupStatus,
} from '@proofdrop/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { sessionKey } from '../../lib/query-client';

/** Who is signed in: the host, or null when the session cookie is missing or expired. */
export function useMe() {
  return useQuery({
    queryKey: sessionKey,
    // Asked of /session, which answers null for nobody: a signed-out visit shows no refused request.
    queryFn: async ({ signal }) => (await api<SignedIn>('/api/v1/auth/session', { signal })).host,
    staleTime: 60_000,
  });
}

/** Whether this server's sign-up takes an invite link now, so the page can say so before anyone types. */
export function useSignupStatus(enabled: boolean) {
  return useQuery({
    queryKey: ['signup-status'],
    queryFn: ({ signal }) => api<SignupStatus>('/api/v1/auth/signup', { signal }),
    enabled,
  });
}

/** Sign up or log in: the server sets the session cookie; the dashboard keeps no token of its own. */
export function useSignIn(kind: 'signup' | 'login') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials | SignupInput) =>
      api<Session>(`/api/v1/auth/${kind}`, { method: 'POST', body: credentials }),
    onSuccess: (session) => {
      queryClient.clear();
      queryClient.setQueryData(sessionKey, session.host);
    },
  });
}

/** Ends this browser's session (`logout`) or every session of the host (`sessions/revoke`). */
function useSignOut(path: '/api/v1/auth/logout' | '/api/v1/auth/sessions/revoke') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>(path, { method: 'POST' }),
    onSuccess: () => {
      // Nothing read for this host may show to whoever signs in next.
      queryClient.clear();
      queryClient.setQueryData(sessionKey, null);
    },
  });
}

export const useLogout = () => useSignOut('/api/v1/auth/logout');

/** A one-use sign-up link for someone else; only its hash is kept, so it is shown once, here. */
export function useCreateInvite() {
  return useMutation({
    mutationFn: () => api<Invite>('/api/v1/auth/invites', { method: 'POST' }),
  });
}

/** A new password, given the current one; the server signs out every other session of the host. */
export function useChangePassword() {
  return useMutation({
    mutationFn: (change: PasswordChange) =>
      api<void>('/api/v1/auth/password', { method: 'POST', body: change }),
  });
}

/** Signs the host out on every device, this one included. */
export const useSignOutEverywhere = () => useSignOut('/api/v1/auth/sessions/revoke');
