import type { ServerFeatures } from '@proofdrop/contract';
import { useQuery } from '@tanstack/react-query';
import { api } from './api';

/** What this server's settings allow (mail, drand rounds): read once, since they change only at a restart. */
export function useServerFeatures() {
  return useQuery({
    queryKey: ['server-features'],
    queryFn: ({ signal }) => api<ServerFeatures>('/api/v1/features', { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
