import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api';

/** Who is signed in to the dashboard (see features/auth): the one query every host screen depends on. */
export const sessionKey = ['me'] as const;

/** 4xx answers are decisions, not hiccups: retrying them only delays the message the person needs. */
function shouldRetry(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failures < 2;
}

export function createQueryClient(): QueryClient {
  // A session can end under an open page (it expired, or Log out in another tab): any call answered
  // "unauthorized" asks again who is signed in, and the dashboard goes to its login page when nobody is.
  const recheckSession = (error: unknown) => {
    if (error instanceof ApiError && error.code === 'unauthorized') {
      void client.invalidateQueries({ queryKey: sessionKey });
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: recheckSession }),
    mutationCache: new MutationCache({ onError: recheckSession }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 10_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
  return client;
}
