import {
  type CallbackLog,
  type CallbackLogEntry,
  type CallbackLogFilter,
  type CallbackTest,
  type CallbackTestInput,
  callbackLogMatches,
} from '@proofdrop/contract';
import { type InfiniteData, useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useRef } from 'react';
import { api } from '../../lib/api';
import { streamEvent, useEventStream } from '../../lib/sse';
import { paramsOf } from './log-filter';

export type { CallbackLogEntry, CallbackLogFilter, CallbackTest };
/** The log's pages as read so far, each from where the one before said to read on (`nextBefore`). */
export type LogPages = InfiniteData<CallbackLog>;

/** The console keeps the newest entries that arrive live; Load older reads what came before them. */
const KEPT = 100;
/** With older pages loaded, the most entries held before the console trims back to KEPT. */
const CAP = 2_000;

export const callbackLogKey = (projectId: string, filter: CallbackLogFilter) =>
  ['callbacks', projectId, filter] as const;
const base = (projectId: string) => `/api/v1/projects/${encodeURIComponent(projectId)}`;

/** The log's query string: the filter's parameters that are set, and where the page starts. */
export function logQuery(filter: CallbackLogFilter, before: number | undefined): string {
  const params = paramsOf(filter);
  params.set('limit', '50');
  if (before !== undefined) params.set('before', String(before));
  return params.toString();
}

export function useCallbackLog(projectId: string, filter: CallbackLogFilter) {
  return useInfiniteQuery({
    queryKey: callbackLogKey(projectId, filter),
    queryFn: ({ pageParam, signal }) =>
      api<CallbackLog>(`${base(projectId)}/callbacks?${logQuery(filter, pageParam)}`, { signal }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    // The stream keeps it current; a refetch would only race it.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * A live entry added to the pages read, newest first and each once (the stream may resend what the first page
 * held), if the filter keeps it. A console left open keeps the newest KEPT of what arrives live, as one page
 * that reads on below them, so it does not grow without end; older pages the host asked for stay while they
 * and the live entries are under CAP, and go the same way after.
 */
export function addEntry(
  log: LogPages | undefined,
  entry: CallbackLogEntry,
  filter: CallbackLogFilter,
): LogPages | undefined {
  const [read, ...older] = log?.pages ?? [];
  if (!log || !read) return log;
  // Every row streamed is seen, matching or not: a resumed stream starts after the newest of them.
  const first = entry.id > read.newestId ? { ...read, newestId: entry.id } : read;
  const unchanged = first === read ? log : { ...log, pages: [first, ...older] };
  if (!callbackLogMatches(entry, filter, read.trackIds)) return unchanged;
  if (log.pages.some((page) => page.callbacks.some((e) => e.id === entry.id))) return unchanged;
  const callbacks = [entry, ...first.callbacks].sort((a, b) => b.id - a.id);
  const held = callbacks.length + older.reduce((n, page) => n + page.callbacks.length, 0);
  if (older.length > 0 ? held <= CAP : callbacks.length <= KEPT) {
    return { ...log, pages: [{ ...first, callbacks }, ...older] };
  }
  const kept = callbacks.slice(0, KEPT);
  return {
    pages: [{ ...first, callbacks: kept, nextBefore: kept.at(-1)?.id ?? null }],
    pageParams: log.pageParams.slice(0, 1),
  };
}

/**
 * Follows the project's callbacks live once the latest page is read, starting after the newest row it saw.
 * `paused` closes the stream; resuming starts after the newest row it saw, so nothing is missed.
 */
export function useLiveCallbacks(
  projectId: string,
  filter: CallbackLogFilter,
  log: LogPages | undefined,
  paused: boolean,
) {
  // Where the stream starts is fixed when it opens: new entries must not reopen it. Another filter's pages
  // (read earlier, and cached) were read at another time, so a change of filter starts it again from theirs.
  const start = useRef<{ filter: string; after: number } | null>(null);
  const shown = JSON.stringify(filter);
  if (paused || !log) start.current = null;
  // The project's newest row when the page was read, not the filter's newest match: a filter that matched
  // nothing lately would otherwise replay every row since (or be told to resync) only to drop them.
  else if (start.current?.filter !== shown)
    start.current = { filter: shown, after: log.pages[0]?.newestId ?? 0 };
  const url = start.current && `${base(projectId)}/callbacks/events?after=${start.current.after}`;
  return useEventStream(url, [
    streamEvent<LogPages | undefined, CallbackLogEntry>(
      'callback',
      callbackLogKey(projectId, filter),
      (log, entry) => addEntry(log, entry, filter),
    ),
  ]);
}

export function useStartTest(projectId: string) {
  return useMutation({
    mutationFn: (input: NonNullable<CallbackTestInput>) =>
      api<CallbackTest>(`${base(projectId)}/callback-test`, { method: 'POST', body: input }),
  });
}
