import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Marks a sealed value; no plaintext secret we keep (keys, whsec_ secrets, hex seeds) contains a colon. */
const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const MASTER_KEY_BYTES = 32;

export class SecretBoxError extends Error {}

/**
 * Seals the secrets we keep in the database (API keys, webhook secrets, undrawn seeds, the cookie secret)
 * with AES-256-GCM under a master key that lives outside it, so a copy of the database or of a backup
 * alone forges nothing. A sealed value is `enc:v1:` + base64url(iv ‖ ciphertext ‖ tag).
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== MASTER_KEY_BYTES)
      throw new SecretBoxError(`the master key must be ${MASTER_KEY_BYTES} bytes`);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return PREFIX + Buffer.concat([iv, body]).toString('base64url');
  }

  /** The plaintext; throws when the value was sealed under another key or altered. */
  open(sealed: string): string {
    if (!isSealed(sealed)) throw new SecretBoxError('the value is not sealed');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('the sealed value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretBoxError('the value was sealed under another master key, or altered');
    }
  }

  /** `open` for a column that may be null. */
  openNullable(sealed: string | null): string | null {
    return sealed === null ? null : this.open(sealed);
  }
}

export const isSealed = (value: string) => value.startsWith(PREFIX);
