import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';

export type StreamState = 'connecting' | 'open' | 'reconnecting';

/**
 * Follows a Server-Sent Events stream and writes each `event` into the query cache under `queryKey`, so the
 * components reading that query re-render without a reload. The browser reconnects by itself, and the
 * server sends the current state first (or the missed events, or `resync` when they were too many to replay, which
 * refetches the query), so nothing is missed across a reconnect. `url: null` follows nothing.
 */
export function useEventStream<T = unknown, E = T>(
  url: string | null,
  event: string,
  queryKey: QueryKey,
  /** How an event changes the cached value; by default it replaces it (streams that send the whole state). */
  merge: (cached: T | undefined, data: E) => T = (_cached, data) => data as unknown as T,
): StreamState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');
  const key = JSON.stringify(queryKey);
  // The latest merge without restarting the stream when a caller passes a new function each render.
  const mergeRef = useRef(merge);
  mergeRef.current = merge;

  useEffect(() => {
    if (url === null) return;
    setState('connecting');
    const source = new EventSource(url, { withCredentials: true });
    source.onopen = () => setState('open');
    source.onerror = () => setState('reconnecting');
    source.addEventListener(event, (message) => {
      const data = JSON.parse((message as MessageEvent<string>).data) as E;
      queryClient.setQueryData<T>(JSON.parse(key) as QueryKey, (cached) => mergeRef.current(cached, data));
      setState('open');
    });
    // The server could not replay all that was missed (too much): the state is read again in full rather
    // than shown stale, and the stream goes on from the latest.
    source.addEventListener('resync', () => {
      void queryClient.invalidateQueries({ queryKey: JSON.parse(key) as QueryKey });
    });
    return () => source.close();
  }, [url, event, key, queryClient]);

  return state;
}
