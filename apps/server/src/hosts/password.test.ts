import { describe, expect, it } from 'vitest';
import { decoyHash, HASH_COST, hashPassword, verifyPassword } from './password.js';

describe('password hashes', () => {
  it("are scrypt at OWASP's floor by default, and verify only the right password", async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$17\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery!', stored)).toBe(false);
  });

  it('carry their cost, so a hash made at another PASSWORD_HASH_COST still verifies', async () => {
    const cheaper = await hashPassword('correct horse battery', HASH_COST.min);
    expect(cheaper.split('$').slice(1, 4)).toEqual(['14', '8', '1']);
    expect(await verifyPassword('correct horse battery', cheaper)).toBe(true);
    expect(await verifyPassword('wrong', cheaper)).toBe(false);
  });

  it('refuse a stored hash that claims a cost above the highest setting, instead of spending its memory', async () => {
    const stored = await hashPassword('correct horse battery', HASH_COST.min);
    await expect(verifyPassword('correct horse battery', stored.replace('$14$', '$24$'))).rejects.toThrow();
  });

  it('have a decoy at each cost that no password opens', async () => {
    expect(decoyHash()).toMatch(/^scrypt\$17\$8\$1\$/);
    expect(decoyHash(15)).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(await verifyPassword('', decoyHash(HASH_COST.min))).toBe(false);
  });
});
