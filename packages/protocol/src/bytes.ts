import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export { bytesToHex, hexToBytes, utf8ToBytes };

/** Strings are hashed as their UTF-8 bytes, as node:crypto did before, so every digest stays the same. */
export type Bytes = Uint8Array | string;

export const toBytes = (part: Bytes): Uint8Array => (typeof part === 'string' ? utf8ToBytes(part) : part);

/** SHA-256 over the parts in order, as if they were one message. */
export function sha256(...parts: Bytes[]): Uint8Array {
  return nobleSha256(concatBytes(...parts.map(toBytes)));
}

/** 8 bytes, big-endian: the counter and round encodings of the draw and the beacon. */
export function uint64BE(value: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value);
  return bytes;
}

/** Compares two strings in time that depends on their length only, not on where they first differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Base64, standard alphabet with padding; `url` for base64url without padding. */
export function base64(bytes: Uint8Array, url = false): string {
  const standard = btoa(String.fromCharCode(...bytes));
  return url ? standard.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : standard;
}
