import type { CallbackLogEntry, CallbackTest, CallbackTestInput } from '@proofdrop/contract';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { api } from '../../lib/api';
import { streamEvent, useEventStream } from '../../lib/sse';

export type { CallbackLogEntry, CallbackTest };
type CallbackLog = { callbacks: CallbackLogEntry[] };

/** The console keeps the newest entries only; older ones are in the exports and the API. */
const KEPT = 100;

export const callbackLogKey = (projectId: string) => ['callbacks', projectId] as const;
const base = (projectId: string) => `/api/v1/projects/${encodeURIComponent(projectId)}`;

export function useCallbackLog(projectId: string) {
  return useQuery({
    queryKey: callbackLogKey(projectId),
    queryFn: ({ signal }) => api<CallbackLog>(`${base(projectId)}/callbacks?limit=50`, { signal }),
    // The stream keeps it current; a refetch would only race it.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Newest first, each entry once: the stream may resend what the first page already held. */
export function addEntry(log: CallbackLog | undefined, entry: CallbackLogEntry): CallbackLog {
  const entries = log?.callbacks ?? [];
  if (entries.some((e) => e.id === entry.id)) return { callbacks: entries };
  return { callbacks: [entry, ...entries].sort((a, b) => b.id - a.id).slice(0, KEPT) };
}

/**
 * Follows the project's callbacks live once the latest page is read, starting after its newest entry.
 * `paused` closes the stream; resuming starts after the newest entry shown, so nothing is missed.
 */
export function useLiveCallbacks(projectId: string, log: CallbackLog | undefined, paused: boolean) {
  // Where the stream starts is fixed when it opens: new entries must not reopen it.
  const start = useRef<number | null>(null);
  if (paused || !log) start.current = null;
  else if (start.current === null) start.current = log.callbacks[0]?.id ?? 0;
  const url = start.current === null ? null : `${base(projectId)}/callbacks/events?after=${start.current}`;
  return useEventStream(url, [
    streamEvent<CallbackLog, CallbackLogEntry>('callback', callbackLogKey(projectId), addEntry),
  ]);
}

export function useStartTest(projectId: string) {
  return useMutation({
    mutationFn: (input: NonNullable<CallbackTestInput>) =>
      api<CallbackTest>(`${base(projectId)}/callback-test`, { method: 'POST', body: input }),
  });
}
