import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { MASTER_KEY_BYTES } from './secret-box.js';

/** Decodes a master key written as base64 (standard or URL-safe) of exactly 32 bytes; undefined when malformed. */
export function decodeMasterKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === MASTER_KEY_BYTES ? key : undefined;
}

export class MasterKeyError extends Error {}

/**
 * The key file beside an SQLite database: read when it exists, made (mode 0600) when it does not and
 * `mayCreate` says the database holds nothing sealed yet — a new key for sealed data would only hide
 * that the old one is lost.
 */
export function readOrCreateKeyFile(file: string, mayCreate: boolean): Buffer {
  if (!fs.existsSync(file)) {
    if (!mayCreate) {
      throw new MasterKeyError(
        `${file} is missing but the database holds secrets sealed with it: restore the file, or set SECRET_KEY to the key they were sealed with`,
      );
    }
    try {
      fs.writeFileSync(file, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`, {
        flag: 'wx',
        mode: 0o600,
      });
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const key = decodeMasterKey(fs.readFileSync(file, 'utf8'));
  if (!key) throw new MasterKeyError(`${file} does not hold a base64 key of ${MASTER_KEY_BYTES} bytes`);
  return key;
}
