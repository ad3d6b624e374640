import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';

/** `closed`: the server refused the stream (the stream limit, a token no longer valid): no retry follows. */
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** One event a stream carries, and the query whose cached value it updates. Made by `streamEvent`. */
export type StreamEvent = {
  event: string;
  queryKey: QueryKey;
  /** How an event changes the cached value; without it, it replaces the value (it is the whole state). */
  merge: ((cached: unknown, data: unknown) => unknown) | undefined;
};

/** Event `event` of a stream goes to the query `queryKey`, merged by `merge` or replacing the cached value. */
export function streamEvent<T, E = T>(
  event: string,
  queryKey: QueryKey,
  merge?: (cached: T | undefined, data: E) => T,
): StreamEvent {
  return { event, queryKey, merge: merge as StreamEvent['merge'] };
}

/**
 * Follows a Server-Sent Events stream and writes each of its `events` into the query cache, so the
 * components reading those queries re-render without a reload. The browser reconnects by itself, and the
 * server sends the current state first (or the missed events, or `resync` when they were too many to replay, which
 * refetches the queries), so nothing is missed across a reconnect. `url: null` follows nothing.
 */
export function useEventStream(url: string | null, events: readonly StreamEvent[]): StreamState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');
  const routes = JSON.stringify(events.map(({ event, queryKey }) => [event, queryKey]));
  // The latest merges without restarting the stream when a caller passes new functions each render.
  const eventsRef = useRef(events);
  eventsRef.current = events;

  useEffect(() => {
    if (url === null) return;
    setState('connecting');
    const source = new EventSource(url, { withCredentials: true });
    source.onopen = () => setState('open');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    const queryKeys: QueryKey[] = [];
    // In order of arrival, each after the one before.
    let applied = Promise.resolve();
    for (const [event, queryKey] of JSON.parse(routes) as [string, QueryKey][]) {
      queryKeys.push(queryKey);
      source.addEventListener(event, (message) => {
        const data: unknown = JSON.parse((message as MessageEvent<string>).data);
        const merge = eventsRef.current.find((e) => e.event === event)?.merge;
        setState('open');
        applied = applied
          .then(async () => {
            // A read under way could answer an older state after this whole one and overwrite it: the
            // stream sends each change, so the read is not needed.
            if (!merge) await queryClient.cancelQueries({ queryKey, exact: true });
            queryClient.setQueryData(queryKey, (cached: unknown) => (merge ? merge(cached, data) : data));
          })
          // An event that could not be applied leaves the value to a fresh read, and the next events go on.
          .catch(() => queryClient.invalidateQueries({ queryKey, exact: true }));
      });
    }
    // The server could not replay all that was missed (too much): the state is read again in full rather
    // than shown stale, and the stream goes on from the latest.
    source.addEventListener('resync', () => {
      for (const queryKey of queryKeys) void queryClient.invalidateQueries({ queryKey, exact: true });
    });
    return () => source.close();
  }, [url, routes, queryClient]);

  return state;
}
