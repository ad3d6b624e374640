import { describe, expect, it } from 'vitest';
import { decodeMasterKey } from './master-key.js';
import { isSealed, SecretBox, SecretBoxError } from './secret-box.js';

const box = new SecretBox(Buffer.alloc(32, 1));

describe('secret box', () => {
  it('opens what it sealed, and seals the same value differently each time', () => {
    const sealed = box.seal('whsec_c2VjcmV0');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('c2VjcmV0');
    expect(box.open(sealed)).toBe('whsec_c2VjcmV0');
    expect(box.seal('whsec_c2VjcmV0')).not.toBe(sealed);
  });

  it('refuses a value sealed under another key, altered, truncated or never sealed', () => {
    const sealed = box.seal('a'.repeat(64));
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed)).toThrow(SecretBoxError);
    // One bit of the tag flipped. (Swapping a base64 character for a fixed one left it as it was once in 64.)
    const raw = Buffer.from(sealed.slice('enc:v1:'.length), 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
    expect(() => box.open(`enc:v1:${raw.toString('base64url')}`)).toThrow(SecretBoxError);
    expect(() => box.open('enc:v1:AAAA')).toThrow(/truncated/);
    expect(() => box.open('a'.repeat(64))).toThrow(/not sealed/);
  });

  it('takes a master key as base64 of exactly 32 bytes', () => {
    expect(decodeMasterKey(Buffer.alloc(32, 3).toString('base64'))).toEqual(Buffer.alloc(32, 3));
    expect(decodeMasterKey(`${Buffer.alloc(32, 3).toString('base64url')}\n`)).toEqual(Buffer.alloc(32, 3));
    expect(decodeMasterKey(Buffer.alloc(31).toString('base64'))).toBeUndefined();
    expect(decodeMasterKey('not base64!')).toBeUndefined();
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(SecretBoxError);
  });
});
