import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hmacHex, verifySignature } from '@proofdrop/protocol';
import { describe, expect, it } from 'vitest';
import { nodeHmacHex } from './hmac.js';

type Vector = {
  note: string;
  api_key: string;
  body: { track_id: string; event: string; remark?: string; sign: string };
  valid: boolean;
};

const vectors: Vector[] = JSON.parse(
  fs.readFileSync(
    fileURLToPath(new URL('../../../../../shared/vectors/callback-signatures.json', import.meta.url)),
    'utf8',
  ),
).vectors;

describe('nodeHmacHex', () => {
  it('decides every shared signature vector (made with crypto-js) as the protocol does', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(14);
    for (const vector of vectors) {
      const fields = { trackId: vector.body.track_id, event: vector.body.event, remark: vector.body.remark };
      expect(verifySignature(fields, vector.body.sign, [vector.api_key], nodeHmacHex), vector.note).toBe(
        vector.valid,
      );
    }
  });

  it('gives the portable digest for any text, non-ASCII and astral characters included', () => {
    for (const [key, message] of [
      ['k'.repeat(64), 'track_id=a&event=b'],
      ['ключ', 'track_id=x&event=like&remark=café ☕ 𝄞'],
      ['', ''],
      ['x'.repeat(200), 'a long key is hashed first'],
    ] as const) {
      expect(nodeHmacHex(key, message)).toBe(hmacHex(key, message));
    }
  });
});
