import { hash, randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** The largest multiple of 62 below 256: bytes at or above it are thrown away, so no symbol is favoured. */
const UNBIASED_LIMIT = 256 - (256 % ALPHANUMERIC.length);

/** `length` characters of [A-Za-z0-9] from the CSPRNG, by rejection sampling (no modulo bias). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(Math.ceil((length - out.length) * 1.1) + 4)) {
      if (byte < UNBIASED_LIMIT) out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** An id for one of our objects, typed by its prefix: `prj_…`, `gw_…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomAlphanumeric(16)}`;
}

/** An unguessable URL-safe token of `bytes` random bytes (base64url). */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Tokens are stored only as this hash, so a leaked database does not leak live sessions. One-shot
 * `hash`, which builds no Hash object: half the CPU of createHash's, on every signed-in request.
 */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}
