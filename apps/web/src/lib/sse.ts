import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

export type StreamState = 'connecting' | 'open' | 'reconnecting';

/**
 * Follows a Server-Sent Events stream and writes each `event` into the query cache under `queryKey`, so the
 * components reading that query re-render without a reload. The browser reconnects by itself, and the
 * server sends the current state first, so nothing is missed across a reconnect. `url: null` follows nothing.
 */
export function useEventStream(url: string | null, event: string, queryKey: QueryKey): StreamState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');
  const key = JSON.stringify(queryKey);

  useEffect(() => {
    if (url === null) return;
    setState('connecting');
    const source = new EventSource(url, { withCredentials: true });
    source.onopen = () => setState('open');
    source.onerror = () => setState('reconnecting');
    source.addEventListener(event, (message) => {
      queryClient.setQueryData(
        JSON.parse(key) as QueryKey,
        JSON.parse((message as MessageEvent<string>).data),
      );
      setState('open');
    });
    return () => source.close();
  }, [url, event, key, queryClient]);

  return state;
}
