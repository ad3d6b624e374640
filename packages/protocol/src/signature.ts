import { hmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { base64, bytesToHex, constantTimeEqual, sha256, utf8ToBytes } from './bytes.js';

/**
 * The signed fields of a callback, as decoded from the body; `remark` undefined when the body has none,
 * `ts` (v2: unix seconds, as decimal digits) undefined when the body has none.
 */
export type SignedFields = {
  trackId: string;
  event: string;
  remark: string | undefined;
  ts?: string | undefined;
};

/** v1: `track_id=…&event=…[&remark=…]`; v2 appends `&ts=<unix seconds>`, the `ts` the body carries. */
export function canonicalString({ trackId, event, remark, ts }: SignedFields): string {
  const base = `track_id=${trackId}&event=${event}`;
  const v1 = remark === undefined ? base : `${base}&remark=${remark}`;
  return ts === undefined ? v1 : `${v1}&ts=${ts}`;
}

/** A v2 signature's `ts` is accepted this far from the server's clock, either way. */
export const V2_MAX_SKEW_SECONDS = 300;

/** Whether a v2 callback's `ts` is within ±V2_MAX_SKEW_SECONDS of `nowMs`: outside, it is stale. */
export function isFreshTimestamp(ts: string, nowMs: number): boolean {
  return Math.abs(Number(ts) * 1000 - nowMs) <= V2_MAX_SKEW_SECONDS * 1000;
}

/** How a v2 canonical string ends: `&ts=` and the body's `ts`. */
const V2_TAIL = /&ts=[0-9]+$/;

/**
 * Whether a body without `ts` has a remark ending like a v2 string (`…&ts=<digits>`). Its v1 string is then
 * the very string a v2 callback signs (remark `order-42&ts=1700000000` and remark `order-42` with ts
 * 1700000000 spell the same), so accepting it would let a captured v2 callback, however stale, be sent
 * again as a v1 one and count as a new unit. Such a remark verifies only with `ts` in the body.
 */
export function remarkReadsAsV2({ remark, ts }: SignedFields): boolean {
  return ts === undefined && remark !== undefined && V2_TAIL.test(remark);
}

/**
 * The canonical strings that verify a callback: with a remark, exactly one; without, both the bare form
 * and the `&remark=` form, since hosts' templates sign either.
 */
export function acceptedCanonicals(fields: SignedFields): string[] {
  if (fields.remark !== undefined) return [canonicalString(fields)];
  return [canonicalString(fields), canonicalString({ ...fields, remark: '' })];
}

const hmacBytes = (key: string, message: string) => hmac(nobleSha256, utf8ToBytes(key), utf8ToBytes(message));

/** hex(HMAC-SHA256(key, message)), over the UTF-8 bytes of both. */
export type HmacHex = (key: string, message: string) => string;

/** The portable HMAC, for browsers and every runtime; a server may pass its platform's, which is faster. */
export const hmacHex: HmacHex = (key, message) => bytesToHex(hmacBytes(key, message));

const HEX_64 = /^[0-9a-fA-F]{64}$/;

/** Constant-time comparison of a hex signature against an expected lowercase digest. */
export function hexSignatureMatches(sign: string, expectedHex: string): boolean {
  if (!HEX_64.test(sign)) return false;
  return constantTimeEqual(sign.toLowerCase(), expectedHex);
}

/**
 * The `sign` of a callback: hex(HMAC-SHA256(key = API key, message = canonical string)). With `ts` (unix
 * seconds, sent in the body too) it is a v2 signature, which the server refuses once 5 minutes stale.
 */
export function signCallback(
  apiKey: string,
  fields: { trackId: string; event: string; remark?: string; ts?: number | string },
): string {
  return hmacHex(
    apiKey,
    canonicalString({
      trackId: fields.trackId,
      event: fields.event,
      remark: fields.remark,
      ts: fields.ts === undefined ? undefined : String(fields.ts),
    }),
  );
}

/** A callback's body as it is posted: the fields in the contract's names, and their `sign`. */
export type SignedCallbackBody = {
  track_id: string;
  event: string;
  remark?: string;
  ts?: number;
  sign: string;
};

/**
 * The body that posts these fields, signed with `apiKey`: `remark` only when given (an empty one included),
 * and `ts` (unix seconds) only for a v2 signature, in the body as in the signed string.
 */
export function signedCallbackBody(
  apiKey: string,
  fields: { trackId: string; event: string; remark?: string | undefined; ts?: number | undefined },
): SignedCallbackBody {
  const { trackId, event, remark, ts } = fields;
  const signed = {
    trackId,
    event,
    ...(remark === undefined ? {} : { remark }),
    ...(ts === undefined ? {} : { ts }),
  };
  return {
    track_id: trackId,
    event,
    ...(remark === undefined ? {} : { remark }),
    ...(ts === undefined ? {} : { ts }),
    sign: signCallback(apiKey, signed),
  };
}

/**
 * True when `sign` is the HMAC of any accepted canonical string under any of `keys`. `hmac` must compute
 * what `hmacHex` does (the shared vectors check a server's own against them).
 */
export function verifySignature(
  fields: SignedFields,
  sign: string,
  keys: readonly string[],
  hmac: HmacHex = hmacHex,
): boolean {
  if (!HEX_64.test(sign) || remarkReadsAsV2(fields)) return false;
  let ok = false;
  // Every candidate is computed and compared, so timing does not reveal which key or form matched.
  for (const key of keys) {
    for (const canonical of acceptedCanonicals(fields)) {
      if (hexSignatureMatches(sign, hmac(key, canonical))) ok = true;
    }
  }
  return ok;
}

export type SignatureMistake =
  | 'swapped_key_and_message'
  | 'base64_digest'
  | 'remark_sent_not_signed'
  | 'url_encoded_values'
  | 'remark_signed_as_undefined'
  | 'plain_sha256'
  | 'ts_sent_not_signed'
  | 'remark_reads_as_v2'
  | 'wrong_length';

export const MISTAKE_HINTS: Record<SignatureMistake, string> = {
  swapped_key_and_message:
    'the key and the message are swapped: sign with HMAC-SHA256(key = API key, message = canonical string)',
  base64_digest: 'the digest is base64-encoded: send it as 64 lowercase hex characters',
  remark_sent_not_signed:
    'the signature matches the canonical string without the remark: sign "&remark=<remark>" too, or leave remark out of the body',
  url_encoded_values:
    'the values were URL-encoded before signing: sign the raw values exactly as they are sent in the JSON body',
  remark_signed_as_undefined:
    'the remark was signed as the text "undefined" (or "null"): sign an empty remark, or none, when there is no remark',
  plain_sha256: 'the signature is a plain SHA-256 hash: use HMAC-SHA256 keyed with the API key',
  ts_sent_not_signed:
    'the body has ts, but the signature is over the string without it: append "&ts=<ts>" to the canonical string (v2), or leave ts out of the body (v1)',
  remark_reads_as_v2:
    'the remark ends in "&ts=" and digits, so its string is also a v2 callback\'s, and only a v2 callback may sign it: send ts in the body (v2), or choose a remark that does not end that way',
  wrong_length: 'sign must be 64 hex characters (an HMAC-SHA256 digest in hex)',
};

/**
 * Recognises a known integration mistake behind a failed signature. Only someone holding the key can
 * produce a signature that matches one of these variants, so naming the mistake teaches an attacker nothing.
 * A remark signed but left out of the body cannot be recognised (the remark is not there to try): a wrong
 * key looks the same, so neither is named as the likely mistake (see `unverifiedMessage`).
 */
export function diagnoseSignature(
  fields: SignedFields,
  sign: string,
  key: string,
): SignatureMistake | undefined {
  const canonicals = acceptedCanonicals(fields);
  const matchesHex = (digestHex: string) => sign.toLowerCase() === digestHex;
  if (fields.ts !== undefined && verifySignature({ ...fields, ts: undefined }, sign, [key])) {
    return 'ts_sent_not_signed';
  }
  if (remarkReadsAsV2(fields) && hexSignatureMatches(sign, hmacHex(key, canonicalString(fields)))) {
    return 'remark_reads_as_v2';
  }

  for (const canonical of canonicals) {
    const digest = hmacBytes(key, canonical);
    if (sign === base64(digest) || sign === base64(digest, true)) return 'base64_digest';
    if (matchesHex(hmacHex(canonical, key))) return 'swapped_key_and_message';
    if (matchesHex(bytesToHex(sha256(canonical)))) return 'plain_sha256';
    if (matchesHex(bytesToHex(sha256(canonical + key)))) return 'plain_sha256';
  }
  if (
    fields.remark !== undefined &&
    matchesHex(hmacHex(key, canonicalString({ ...fields, remark: undefined })))
  ) {
    return 'remark_sent_not_signed';
  }
  if (!fields.remark) {
    for (const text of ['undefined', 'null']) {
      if (matchesHex(hmacHex(key, canonicalString({ ...fields, remark: text }))))
        return 'remark_signed_as_undefined';
    }
  }
  for (const encoded of urlEncodedVariants(fields)) {
    if (matchesHex(hmacHex(key, encoded))) return 'url_encoded_values';
  }
  if (!HEX_64.test(sign)) return 'wrong_length';
  return undefined;
}

/**
 * What a signature that verifies with no key, and shows no known mistake, tells its sender: without a
 * remark in the body, the canonical string it was signed over may have had one.
 */
export function unverifiedMessage(fields: SignedFields): string {
  return fields.remark === undefined
    ? "sign does not verify with this project's API key: check the key, and if you signed a remark, send it in the body too"
    : "sign does not verify with this project's API key";
}

function urlEncodedVariants(fields: SignedFields): string[] {
  const encoders = [encodeURIComponent, (v: string) => new URLSearchParams({ v }).toString().slice(2)];
  const variants = new Set<string>();
  for (const encode of encoders) {
    const encodedFields = {
      trackId: encode(fields.trackId),
      event: encode(fields.event),
      remark: fields.remark === undefined ? undefined : encode(fields.remark),
      ts: fields.ts,
    };
    for (const canonical of acceptedCanonicals(encodedFields)) variants.add(canonical);
    for (const canonical of acceptedCanonicals(fields)) variants.add(encode(canonical));
  }
  for (const canonical of acceptedCanonicals(fields)) variants.delete(canonical);
  return [...variants];
}
