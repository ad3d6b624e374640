import type {
  DrawProof,
  Entry,
  EntryInput,
  InclusionProofAnswer,
  LinkMailed,
  LinkRequested,
  MyEntryIfAny,
  Phase,
  PowChallenge,
  PublicGiveaway,
} from '@proofdrop/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api } from '../../lib/api';
import type { StreamState } from '../../lib/sse';

const base = (slug: string) => `/api/v1/giveaways/${encodeURIComponent(slug)}`;

export const giveawayKey = (slug: string) => ['giveaway', slug] as const;
export const entryKey = (slug: string) => ['giveaway', slug, 'entry'] as const;
const drawProofKey = (slug: string) => ['giveaway', slug, 'draw'] as const;

/**
 * How often a page that no stream tells of the giveaway's changes reads it again, by phase: the proof page,
 * and the participant page before joining (the entry's stream needs an entry). The host may end or draw at
 * any moment: live or ended, the page follows within a few seconds. A scheduled giveaway starts on its own
 * clock, which the countdown follows; a drawn one changes no more. A hidden tab asks nothing (TanStack
 * Query's default) and reads again once seen.
 */
const PHASE_POLL_MS: Record<Phase, number | false> = {
  draft: false,
  scheduled: 30_000,
  live: 5_000,
  ended: 5_000,
  drawn: false,
};

/**
 * While the entry's stream is down. It reconnects by itself within seconds and sends the giveaway first, so
 * this only matters should it stay down (a proxy that cuts it). A stream the server refused is `closed`.
 */
const STREAM_DOWN_POLL_MS = 60_000;

/**
 * The public giveaway. `stream` is the state of the entry's stream, which carries each change of the
 * giveaway (the `giveaway` event): while it is open the page asks nothing more; without one, it polls.
 */
export function useGiveaway(slug: string, stream?: StreamState) {
  return useQuery({
    queryKey: giveawayKey(slug),
    queryFn: ({ signal }) => api<PublicGiveaway>(base(slug), { signal }),
    refetchInterval: (query) => {
      const poll = query.state.data ? PHASE_POLL_MS[query.state.data.status] : false;
      if (poll === false || stream === 'open') return false;
      // A refused stream does not come back: the page polls as it would without one.
      return stream === undefined || stream === 'closed' ? poll : Math.max(poll, STREAM_DOWN_POLL_MS);
    },
    refetchOnWindowFocus: (query) => (query.state.data?.status === 'drawn' ? false : 'always'),
  });
}

/** This browser's entry in the giveaway (the participant cookie), or null when it has not joined. */
export function useMyEntry(slug: string) {
  return useQuery({
    queryKey: entryKey(slug),
    // Asked of /entries/mine, which answers null before a join: a first visit shows no refused request.
    queryFn: async ({ signal }) => (await api<MyEntryIfAny>(`${base(slug)}/entries/mine`, { signal })).entry,
    // The live stream keeps it current once joined.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export const myEntryEventsUrl = (slug: string) => `${base(slug)}/entries/me/events`;

export function useJoin(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: EntryInput) =>
      api<Entry | LinkMailed>(`${base(slug)}/entries`, { method: 'POST', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: entryKey(slug) }),
  });
}

/** A fresh proof-of-work challenge: each solution is spent by one join, so a failed join asks for another. */
export const fetchChallenge = (slug: string, signal: AbortSignal) =>
  api<PowChallenge>(`${base(slug)}/challenge`, { signal });

/** The mailed link's token (`#verify=`): proves the address and makes this browser the entry's. */
export function useFollowEntryLink(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: string) =>
      api<Entry>(`${base(slug)}/entries/verify`, { method: 'POST', body: { token } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: entryKey(slug) }),
  });
}

export function useSendEntryLink(slug: string) {
  return useMutation({
    mutationFn: (email: string) =>
      api<LinkRequested>(`${base(slug)}/entries/link`, { method: 'POST', body: { email } }),
  });
}

/**
 * The proof grows with the phase (the list is frozen at the end, the seed revealed at the draw): when the
 * phase moves, the proof is read again rather than shown as it was.
 */
export function useProofFollowsPhase(slug: string, status: Phase | undefined) {
  const queryClient = useQueryClient();
  const seen = useRef(status);
  useEffect(() => {
    if (seen.current !== undefined && status !== seen.current) {
      void queryClient.invalidateQueries({ queryKey: drawProofKey(slug) });
    }
    seen.current = status;
  }, [queryClient, slug, status]);
}

/** Where the draw's public proof is read: this page, `proofdrop verify-draw` and anyone's own verifier. */
export const drawProofPath = (slug: string) => `${base(slug)}/draw`;

export function useDrawProof(slug: string, enabled = true) {
  return useQuery({
    queryKey: drawProofKey(slug),
    queryFn: ({ signal }) => api<DrawProof>(drawProofPath(slug), { signal }),
    enabled,
  });
}

const inclusionKey = (slug: string, entryId: string) => ['giveaway', slug, 'inclusion', entryId] as const;

/** The Merkle path from one entry to the frozen list's root; null asks nothing yet. */
export function useInclusion(slug: string, entryId: string | null) {
  return useQuery({
    queryKey: inclusionKey(slug, entryId ?? ''),
    queryFn: ({ signal }) =>
      api<InclusionProofAnswer>(`${base(slug)}/draw/inclusion/${encodeURIComponent(entryId ?? '')}`, {
        signal,
      }),
    enabled: entryId !== null,
  });
}
