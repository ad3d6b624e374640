import type { PowChallenge } from '@proofdrop/contract';

/** The one algorithm the server issues; WebCrypto derives it natively, so no solver library is shipped. */
const ALGORITHM = 'PBKDF2/SHA-256';
/** How long the solver runs before it lets the page paint and react (its progress, a Cancel). */
const SLICE_MS = 50;

export type PowSolution = { counter: number; derivedKey: string };

const hexToBytes = (hex: string) =>
  Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
const bytesToHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Solves an ALTCHA PoW v2 challenge as altcha-lib's `solveChallenge` does (uint32 counter mode): the password
 * is the nonce's bytes followed by the counter as a big-endian 32-bit integer, and the answer is the first
 * counter whose PBKDF2 key starts with `keyPrefix`. `onProgress` gets the number of keys tried so far.
 */
export async function solvePow(
  challenge: PowChallenge,
  { signal, onProgress }: { signal?: AbortSignal; onProgress?: (tried: number) => void } = {},
): Promise<PowSolution> {
  const { algorithm, nonce, salt, cost, keyLength, keyPrefix } = challenge.parameters;
  if (algorithm !== ALGORITHM) throw new Error(`unsupported challenge algorithm ${algorithm}`);
  const prefix = keyPrefix.toLowerCase();
  const nonceBytes = hexToBytes(nonce);
  const saltBytes = hexToBytes(salt);
  const password = new Uint8Array(nonceBytes.length + 4);
  password.set(nonceBytes);
  const view = new DataView(password.buffer);
  let sliceStart = performance.now();
  for (let counter = 0; counter <= 0xffffffff; counter++) {
    signal?.throwIfAborted();
    view.setUint32(nonceBytes.length, counter, false);
    const key = await crypto.subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
    const bits = await crypto.subtle.deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt: saltBytes, iterations: cost },
      key,
      keyLength * 8,
    );
    const derivedKey = bytesToHex(new Uint8Array(bits));
    if (derivedKey.startsWith(prefix)) return { counter, derivedKey };
    if (performance.now() - sliceStart > SLICE_MS) {
      onProgress?.(counter + 1);
      await new Promise((resolve) => setTimeout(resolve, 0));
      sliceStart = performance.now();
    }
  }
  throw new Error('the challenge has no solution');
}

/** The join's `altcha` value, as ALTCHA's widget produces it: base64 of `{challenge, solution}`. */
export function altchaPayload(challenge: PowChallenge, solution: PowSolution): string {
  const json = JSON.stringify({ challenge, solution });
  return btoa(String.fromCharCode(...new TextEncoder().encode(json)));
}
