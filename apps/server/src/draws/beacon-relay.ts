import type { BeaconInput } from '@proofdrop/contract';
import { QUICKNET } from '@proofdrop/protocol';

/** Fetches a drand round from the configured relay; undefined when none is configured. */
export type BeaconSource = (round: number) => Promise<BeaconInput | undefined>;

export function relayBeaconSource(relayUrl: string | undefined): BeaconSource {
  return async (round) => {
    if (!relayUrl) return undefined;
    const res = await fetch(`${relayUrl.replace(/\/+$/, '')}/${QUICKNET.hash}/public/${round}`, {
      signal: AbortSignal.timeout(5000),
    }).catch(() => undefined);
    if (!res?.ok) return undefined;
    const body = (await res.json().catch(() => undefined)) as
      | { round?: number; signature?: string }
      | undefined;
    return body?.round === round && typeof body.signature === 'string'
      ? { round, signature: body.signature }
      : undefined;
  };
}
