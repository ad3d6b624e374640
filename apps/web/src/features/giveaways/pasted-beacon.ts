import type { BeaconInput } from '@proofdrop/contract';
import { QUICKNET_SIGNATURE } from '@proofdrop/protocol';

/**
 * What a host pasted for a draw's drand round: the JSON a relay answers for it (`{"round", "signature", …}`)
 * or the signature alone. Nothing pasted is undefined: the server then fetches the round, if it can.
 */
export function readPastedBeacon(
  text: string,
  round: number,
): { beacon: BeaconInput } | { error: string } | undefined {
  const pasted = text.trim();
  if (pasted === '') return undefined;
  if (QUICKNET_SIGNATURE.test(pasted)) return { beacon: { round, signature: pasted.toLowerCase() } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(pasted);
  } catch {
    return { error: `Paste what the relay shows for round ${round} (JSON), or the round's signature alone.` };
  }
  const { round: given, signature } = (parsed ?? {}) as { round?: unknown; signature?: unknown };
  if (typeof signature !== 'string') {
    return { error: 'This has no signature: paste the whole answer of the relay, with its "signature".' };
  }
  if (given !== round) return { error: `This is round ${String(given)}; this draw takes round ${round}.` };
  if (!QUICKNET_SIGNATURE.test(signature)) {
    return {
      error: `This signature is not a quicknet round's (96 hexadecimal characters): paste the relay's answer for round ${round} as it is.`,
    };
  }
  return { beacon: { round, signature: signature.toLowerCase() } };
}
