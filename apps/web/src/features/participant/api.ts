import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../lib/api';

// Until @proofdrop/contract lands on main: the answers this feature reads, named as the contract names them.
export type PublicGiveaway = {
  slug: string;
  title: string;
  description: string;
  startsAt: string | null;
  endsAt: string | null;
  winnerMode: 'lucky_draw' | 'first_come';
  winnerCount: number;
  prizes: { name: string; description?: string }[];
  status: 'draft' | 'scheduled' | 'live' | 'ended' | 'drawn';
  endedAt: string | null;
  tasks: { id: string; websiteId: string; event: string; name: string; requiredAmount: number }[];
};
export type TaskProgress = {
  taskId: string;
  event: string;
  name: string;
  requiredAmount: number;
  count: number;
  completed: boolean;
};
export type MyEntry = { participantId: string; eligible: boolean; tasks: TaskProgress[] };
export type Entry = { participantId: string; token: string };
export type DrawProof = {
  version: string;
  winnerMode: 'lucky_draw' | 'first_come';
  winnerCount: number;
  commitment: string;
  committedAt: string;
  guarantee: string;
  beacon: {
    chain: string;
    chainHash: string;
    round: number | null;
    signature: string | null;
    randomness: string | null;
  } | null;
  frozenAt: string | null;
  entries: string[] | null;
  listHash: string | null;
  merkleRoot: string | null;
  seed: string | null;
  winners: { rank: number; entryId: string }[] | null;
};

const base = (slug: string) => `/api/v1/giveaways/${encodeURIComponent(slug)}`;

export const giveawayKey = (slug: string) => ['giveaway', slug] as const;
export const entryKey = (slug: string) => ['giveaway', slug, 'entry'] as const;
export const drawProofKey = (slug: string) => ['giveaway', slug, 'draw'] as const;

/** While the giveaway can still change phase (the host ends or draws it), it is read again now and then. */
const PHASE_POLL_MS = 30_000;

export function useGiveaway(slug: string) {
  return useQuery({
    queryKey: giveawayKey(slug),
    queryFn: ({ signal }) => api<PublicGiveaway>(base(slug), { signal }),
    refetchInterval: (query) => (query.state.data?.status === 'drawn' ? false : PHASE_POLL_MS),
  });
}

/** This browser's entry in the giveaway (the participant cookie), or null when it has not joined. */
export function useMyEntry(slug: string) {
  return useQuery({
    queryKey: entryKey(slug),
    queryFn: async ({ signal }) => {
      try {
        return await api<MyEntry>(`${base(slug)}/entries/me`, { signal });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    // The live stream keeps it current once joined.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export const myEntryEventsUrl = (slug: string) => `${base(slug)}/entries/me/events`;

export function useJoin(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (email: string) => api<Entry>(`${base(slug)}/entries`, { method: 'POST', body: { email } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: entryKey(slug) }),
  });
}

export function useDrawProof(slug: string, enabled = true) {
  return useQuery({
    queryKey: drawProofKey(slug),
    queryFn: ({ signal }) => api<DrawProof>(`${base(slug)}/draw`, { signal }),
    enabled,
  });
}
