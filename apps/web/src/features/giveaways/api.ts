import type {
  BeaconInput,
  EditableField,
  EntriesPage,
  Giveaway,
  GiveawayInput,
  GiveawayPatch,
  GiveawayWithStats,
  ParticipantRow,
  Phase,
  WinnerMode,
} from '@proofdrop/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

export type {
  EditableField,
  Giveaway,
  GiveawayInput,
  GiveawayPatch,
  GiveawayWithStats,
  Phase,
  ParticipantRow as Entry,
  WinnerMode,
};

export const giveawaysKey = (projectId: string) => ['giveaways', projectId] as const;
export const hostGiveawayKey = (giveawayId: string) => ['host-giveaway', giveawayId] as const;
const entriesKey = (giveawayId: string) => ['entries', giveawayId] as const;
export const giveawayPath = (giveawayId: string) => `/api/v1/giveaways/${encodeURIComponent(giveawayId)}`;

export function useProjectGiveaways(projectId: string) {
  return useQuery({
    queryKey: giveawaysKey(projectId),
    queryFn: ({ signal }) =>
      api<{ giveaways: Giveaway[] }>(`/api/v1/projects/${encodeURIComponent(projectId)}/giveaways`, {
        signal,
      }),
  });
}

/** The host's view, with its live counts: read again every few seconds while the page is open. */
export function useHostGiveaway(giveawayId: string) {
  return useQuery({
    queryKey: hostGiveawayKey(giveawayId),
    queryFn: ({ signal }) => api<GiveawayWithStats>(giveawayPath(giveawayId), { signal }),
    refetchInterval: 5000,
  });
}

export function useEntries(giveawayId: string, search: string, offset: number, limit: number) {
  return useQuery({
    queryKey: [...entriesKey(giveawayId), search, offset, limit],
    queryFn: ({ signal }) => {
      const query = new URLSearchParams({ search, offset: String(offset), limit: String(limit) });
      return api<EntriesPage>(`${giveawayPath(giveawayId)}/entries?${query}`, {
        signal,
      });
    },
    placeholderData: (previous) => previous,
    refetchInterval: 5000,
  });
}

export function useWinners(giveawayId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['winners', giveawayId],
    queryFn: ({ signal }) =>
      api<{ winners: ParticipantRow[] }>(`${giveawayPath(giveawayId)}/winners`, { signal }),
    enabled,
  });
}

/** Anything that changes a giveaway refreshes its page, its entries and the project's list. */
function useGiveawayMutation<I, O>(call: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () =>
      Promise.all(
        ['host-giveaway', 'giveaways', 'entries', 'winners'].map((key) =>
          queryClient.invalidateQueries({ queryKey: [key] }),
        ),
      ),
  });
}

export const useCreateGiveaway = (projectId: string) =>
  useGiveawayMutation((input: GiveawayInput) =>
    api<Giveaway>(`/api/v1/projects/${encodeURIComponent(projectId)}/giveaways`, {
      method: 'POST',
      body: input,
    }),
  );

export const useEditGiveaway = (giveawayId: string) =>
  useGiveawayMutation((patch: GiveawayPatch) =>
    api<GiveawayWithStats>(giveawayPath(giveawayId), { method: 'PATCH', body: patch }),
  );

export const useDeleteGiveaway = (giveawayId: string) =>
  useGiveawayMutation(() => api<void>(giveawayPath(giveawayId), { method: 'DELETE' }));

export const useLifecycle = (giveawayId: string) =>
  useGiveawayMutation(
    (
      step:
        | { action: 'publish'; beacon: boolean }
        | { action: 'end' }
        | { action: 'draw'; beacon?: BeaconInput | undefined },
    ) =>
      api<unknown>(`${giveawayPath(giveawayId)}/${step.action}`, {
        method: 'POST',
        ...(step.action === 'publish' ? { body: { beacon: step.beacon } } : {}),
        ...(step.action === 'draw' && step.beacon ? { body: { beacon: step.beacon } } : {}),
      }),
  );
