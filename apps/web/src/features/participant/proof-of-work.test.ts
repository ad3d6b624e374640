import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { PowChallenge } from '@proofdrop/contract';
import { describe, expect, it } from 'vitest';
import { altchaPayload, solvePow } from './proof-of-work';

const nonce = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const salt = '00112233445566778899aabbccddeeff';

/** The key altcha-lib's PBKDF2 derives for a counter: the nonce's bytes, then the counter as uint32 BE. */
function keyFor(counter: number): string {
  const password = new Uint8Array(20);
  password.set(hexToBytes(nonce));
  new DataView(password.buffer).setUint32(16, counter, false);
  return bytesToHex(pbkdf2(sha256, password, hexToBytes(salt), { c: 10, dkLen: 32 }));
}

function challengeWithPrefix(keyPrefix: string): PowChallenge {
  return {
    parameters: { algorithm: 'PBKDF2/SHA-256', nonce, salt, cost: 10, keyLength: 32, keyPrefix },
    signature: 'abc',
  };
}

describe('solvePow', () => {
  it('finds the counter whose derived key starts with the prefix, as altcha-lib derives it', async () => {
    const key = keyFor(37);
    expect(await solvePow(challengeWithPrefix(key.slice(0, 10).toUpperCase()))).toEqual({
      counter: 37,
      derivedKey: key,
    });
  });

  it('stops when asked to', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(solvePow(challengeWithPrefix('00'), { signal: controller.signal })).rejects.toThrow();
  });

  it('refuses an algorithm it cannot derive', async () => {
    const challenge = challengeWithPrefix('00');
    challenge.parameters.algorithm = 'ARGON2ID';
    await expect(solvePow(challenge)).rejects.toThrow(/unsupported/);
  });
});

describe('altchaPayload', () => {
  it('is base64 of the challenge and the solution, as the widget sends it', () => {
    const challenge = challengeWithPrefix('00');
    const payload = altchaPayload(challenge, { counter: 3, derivedKey: '00ab' });
    const json = new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
    expect(JSON.parse(json)).toEqual({
      challenge,
      solution: { counter: 3, derivedKey: '00ab' },
    });
  });
});
