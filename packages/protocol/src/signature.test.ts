import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  acceptedCanonicals,
  canonicalString,
  diagnoseSignature,
  hmacHex,
  isFreshTimestamp,
  remarkReadsAsV2,
  type SignedFields,
  signCallback,
  signedCallbackBody,
  unverifiedMessage,
  verifySignature,
} from './signature.js';

const sharedDir = fileURLToPath(new URL('../../../../shared', import.meta.url));

type Vector = {
  note: string;
  api_key: string;
  body: { track_id: string; event: string; remark?: string; sign: string };
  canonical: string;
  valid: boolean;
  mistake?: string;
};

const vectors: Vector[] = JSON.parse(
  fs.readFileSync(path.join(sharedDir, 'vectors/callback-signatures.json'), 'utf8'),
).vectors;

const fieldsOf = (body: Vector['body']): SignedFields => ({
  trackId: body.track_id,
  event: body.event,
  remark: body.remark,
});

describe('callback signature vectors (made with crypto-js)', () => {
  it('reads every vector from the shared file', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(14);
  });

  for (const vector of vectors) {
    it(`${vector.valid ? 'accepts' : 'rejects'}: ${vector.note}`, () => {
      const fields = fieldsOf(vector.body);
      // For a tampered body, `canonical` is what was signed, not what the body now says.
      if (vector.valid) expect(acceptedCanonicals(fields)).toContain(vector.canonical);
      expect(verifySignature(fields, vector.body.sign, [vector.api_key])).toBe(vector.valid);
      if (vector.mistake)
        expect(diagnoseSignature(fields, vector.body.sign, vector.api_key)).toBe(vector.mistake);
    });
  }
});

describe('signCallback', () => {
  it('signs what verifySignature accepts, as the vectors were signed', () => {
    const valid = vectors.filter((vector) => vector.valid);
    expect(valid.length).toBeGreaterThan(0);
    for (const vector of valid) {
      const fields = fieldsOf(vector.body);
      const sign = signCallback(vector.api_key, fields);
      expect(verifySignature(fields, sign, [vector.api_key]), vector.note).toBe(true);
      if (vector.canonical === canonicalString(fields)) expect(sign).toBe(vector.body.sign.toLowerCase());
    }
  });
});

describe('canonical string', () => {
  it('adds &remark= only when the body has a remark, the empty one included', () => {
    expect(canonicalString({ trackId: 't', event: 'e', remark: undefined })).toBe('track_id=t&event=e');
    expect(canonicalString({ trackId: 't', event: 'e', remark: '' })).toBe('track_id=t&event=e&remark=');
  });

  it('accepts both forms when the body has no remark, one form when it has', () => {
    expect(acceptedCanonicals({ trackId: 't', event: 'e', remark: undefined })).toEqual([
      'track_id=t&event=e',
      'track_id=t&event=e&remark=',
    ]);
    expect(acceptedCanonicals({ trackId: 't', event: 'e', remark: 'x' })).toEqual([
      'track_id=t&event=e&remark=x',
    ]);
  });
});

describe('signature verification', () => {
  const key = 'k'.repeat(64);
  const fields: SignedFields = { trackId: 'abc', event: 'deposit', remark: 'r1' };
  const good = hmacHex(key, canonicalString(fields));

  it('accepts a previous key still in its grace period', () => {
    expect(verifySignature(fields, good, ['n'.repeat(64), key])).toBe(true);
  });

  it('rejects a sign of the wrong length or with non-hex characters without throwing', () => {
    expect(verifySignature(fields, good.slice(0, 63), [key])).toBe(false);
    expect(verifySignature(fields, `${good}00`, [key])).toBe(false);
    expect(verifySignature(fields, `${good.slice(0, 63)}g`, [key])).toBe(false);
    expect(verifySignature(fields, '', [key])).toBe(false);
  });

  it('does not accept a remark-less signature when a remark is sent', () => {
    const bare = hmacHex(key, canonicalString({ ...fields, remark: undefined }));
    expect(verifySignature(fields, bare, [key])).toBe(false);
  });
});

describe('mistake hints', () => {
  const key = 'Q'.repeat(64);
  const withRemark: SignedFields = { trackId: 'tr-1', event: 'purchase', remark: 'order=42&x' };
  const noRemark: SignedFields = { trackId: 'tr-1', event: 'purchase', remark: undefined };

  it('names a remark that was sent but not signed', () => {
    const sign = hmacHex(key, canonicalString(noRemark));
    expect(diagnoseSignature(withRemark, sign, key)).toBe('remark_sent_not_signed');
  });

  it('names a remark signed as the text "undefined"', () => {
    const sign = hmacHex(key, 'track_id=tr-1&event=purchase&remark=undefined');
    expect(diagnoseSignature(noRemark, sign, key)).toBe('remark_signed_as_undefined');
  });

  it('names URL-encoded values', () => {
    const sign = hmacHex(key, `track_id=tr-1&event=purchase&remark=${encodeURIComponent('order=42&x')}`);
    expect(diagnoseSignature(withRemark, sign, key)).toBe('url_encoded_values');
  });

  it('names a plain SHA-256 instead of an HMAC', () => {
    const sign = createHash('sha256').update(canonicalString(withRemark)).digest('hex');
    expect(diagnoseSignature(withRemark, sign, key)).toBe('plain_sha256');
  });

  it('names no mistake for a remark signed but not sent, which a wrong key cannot be told from', () => {
    const remarkNotSent = hmacHex(key, 'track_id=tr-1&event=purchase&remark=order-7');
    const wrongKey = hmacHex('W'.repeat(64), canonicalString(noRemark));
    expect(diagnoseSignature(noRemark, remarkNotSent, key)).toBeUndefined();
    expect(diagnoseSignature(noRemark, wrongKey, key)).toBeUndefined();
    expect(unverifiedMessage(noRemark)).toContain('if you signed a remark, send it in the body');
    expect(unverifiedMessage(withRemark)).not.toContain('remark');
  });

  it('names nothing for a plain wrong key on a body with a remark', () => {
    const sign = hmacHex('W'.repeat(64), canonicalString(withRemark));
    expect(diagnoseSignature(withRemark, sign, key)).toBeUndefined();
  });
});

describe('v2 signature', () => {
  const key = 'V'.repeat(64);
  const fields: SignedFields = { trackId: 'tr-2', event: 'deposit', remark: undefined, ts: '1700000000' };

  it('appends &ts=<unix seconds> to the v1 string, after the remark', () => {
    expect(canonicalString(fields)).toBe('track_id=tr-2&event=deposit&ts=1700000000');
    expect(canonicalString({ ...fields, remark: 'r' })).toBe(
      'track_id=tr-2&event=deposit&remark=r&ts=1700000000',
    );
    expect(acceptedCanonicals(fields)).toEqual([
      'track_id=tr-2&event=deposit&ts=1700000000',
      'track_id=tr-2&event=deposit&remark=&ts=1700000000',
    ]);
  });

  it('verifies only with ts signed, and names a ts sent but not signed', () => {
    const signed = hmacHex(key, canonicalString(fields));
    expect(verifySignature(fields, signed, [key])).toBe(true);
    expect(verifySignature({ ...fields, ts: '1700000001' }, signed, [key])).toBe(false);
    const v1 = hmacHex(key, canonicalString({ ...fields, ts: undefined }));
    expect(verifySignature(fields, v1, [key])).toBe(false);
    expect(diagnoseSignature(fields, v1, key)).toBe('ts_sent_not_signed');
  });

  it('refuses a v2 signature sent again as a v1 body, its ts moved into the remark', () => {
    for (const remark of ['order-42', '']) {
      const captured = hmacHex(key, canonicalString({ ...fields, remark }));
      const asV1: SignedFields = { ...fields, remark: `${remark}&ts=1700000000`, ts: undefined };
      expect(canonicalString(asV1)).toBe(canonicalString({ ...fields, remark }));
      expect(remarkReadsAsV2(asV1)).toBe(true);
      expect(verifySignature(asV1, captured, [key])).toBe(false);
      expect(diagnoseSignature(asV1, captured, key)).toBe('remark_reads_as_v2');
    }
  });

  it('takes a remark that only looks like a ts: with ts sent, or not at the end', () => {
    const withTs: SignedFields = { ...fields, remark: 'a&ts=1' };
    expect(verifySignature(withTs, hmacHex(key, canonicalString(withTs)), [key])).toBe(true);
    for (const remark of ['a&ts=1x', 'a&ts=', 'ts=1', 'a&ts=1&b']) {
      const v1: SignedFields = { ...fields, remark, ts: undefined };
      expect(remarkReadsAsV2(v1)).toBe(false);
      expect(verifySignature(v1, hmacHex(key, canonicalString(v1)), [key])).toBe(true);
    }
  });

  it('takes a ts within five minutes either way of the clock', () => {
    const now = 1_700_000_000_000;
    expect(isFreshTimestamp('1700000000', now)).toBe(true);
    expect(isFreshTimestamp('1700000300', now)).toBe(true);
    expect(isFreshTimestamp('1699999700', now)).toBe(true);
    expect(isFreshTimestamp('1700000301', now)).toBe(false);
    expect(isFreshTimestamp('1699999699', now)).toBe(false);
  });
});

describe('signedCallbackBody', () => {
  it('posts the fields in the contract names, a remark and a ts only when given, signed over the same', () => {
    const key = 'k'.repeat(64);
    expect(signedCallbackBody(key, { trackId: 't1', event: 'sign_up' })).toEqual({
      track_id: 't1',
      event: 'sign_up',
      sign: signCallback(key, { trackId: 't1', event: 'sign_up' }),
    });
    const v2 = { trackId: 't1', event: 'like', remark: '', ts: 1_767_225_600 };
    expect(signedCallbackBody(key, v2)).toEqual({
      track_id: 't1',
      event: 'like',
      remark: '',
      ts: 1_767_225_600,
      sign: signCallback(key, v2),
    });
  });
});
