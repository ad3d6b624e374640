import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalString, signCallback } from '@proofdrop/protocol';
import { describe, expect, it } from 'vitest';
import { canonical, sign } from '../src/index.js';

type Vector = {
  note: string;
  api_key: string;
  body: { track_id: string; event: string; remark?: string; sign: string };
  canonical: string;
  valid: boolean;
};

/** shared/ sits beside the repository. */
const sharedDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared');
const vectors: Vector[] = JSON.parse(
  fs.readFileSync(path.join(sharedDir, 'vectors/callback-signatures.json'), 'utf8'),
).vectors;

describe('sign and canonical against the shared vectors (made with crypto-js)', () => {
  it('reads every vector from the shared file', () => {
    expect(vectors.filter((v) => v.valid).length).toBeGreaterThanOrEqual(5);
  });

  for (const vector of vectors.filter((v) => v.valid)) {
    it(`signs as the vector does: ${vector.note}`, () => {
      const { track_id: trackId, event, remark: sent } = vector.body;
      // A body without remark may have been signed with the empty remark form, which verifies too.
      const remark = sent ?? (vector.canonical.endsWith('&remark=') ? '' : undefined);
      expect(canonical({ trackId, event, remark })).toBe(vector.canonical);
      expect(sign(vector.api_key, { trackId, event, remark })).toBe(vector.body.sign.toLowerCase());
    });
  }

  for (const vector of vectors.filter((v) => !v.valid)) {
    it(`never produces the faulty signature: ${vector.note}`, () => {
      const { track_id: trackId, event, remark } = vector.body;
      expect(sign(vector.api_key, { trackId, event, remark })).not.toBe(vector.body.sign.toLowerCase());
    });
  }
});

describe("v2: sign and canonical with ts are the protocol's v2 rule", () => {
  const fields = { trackId: 'kq3V9xYh2bQmR7tLp0sWfA', event: 'purchase', remark: 'order=42' };

  it('appends &ts=<unix seconds>, whether ts is given as a number or as digits', () => {
    const expected = 'track_id=kq3V9xYh2bQmR7tLp0sWfA&event=purchase&remark=order=42&ts=1790000000';
    expect(canonical({ ...fields, ts: 1_790_000_000 })).toBe(expected);
    expect(canonical({ ...fields, ts: '1790000000' })).toBe(expected);
    expect(canonical({ ...fields, ts: 1_790_000_000 })).toBe(
      canonicalString({ ...fields, ts: '1790000000' }),
    );
  });

  it('signs the v2 string as the protocol does, and differently from v1', () => {
    const { trackId, event } = fields;
    for (const remark of ['order=42', '', undefined]) {
      const v2 = sign('key', { trackId, event, remark, ts: 1_790_000_000 });
      const withRemark = remark === undefined ? {} : { remark };
      expect(v2).toBe(signCallback('key', { trackId, event, ...withRemark, ts: 1_790_000_000 }));
      expect(v2).not.toBe(sign('key', { trackId, event, remark }));
    }
  });
});
