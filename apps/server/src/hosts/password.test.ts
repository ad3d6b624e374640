import { describe, expect, it } from 'vitest';
import { decoyHash, HASH_COST, hashPassword, storedCost, verifyPassword } from './password.js';

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

  it('refuse a stored hash whose numbers this server could not have written, instead of spending on them', async () => {
    const stored = await hashPassword('correct horse battery', HASH_COST.min);
    expect(storedCost(stored)).toBe(14);
    for (const damaged of [
      stored.replace('$14$', '$24$'),
      stored.replace('$14$', '$14.5$'),
      stored.replace('$14$8$1$', '$14$8$99999$'),
      stored.replace('$14$8$1$', '$14$16$1$'),
      stored.replace('scrypt$', 'bcrypt$'),
    ]) {
      expect(storedCost(damaged), damaged).toBeUndefined();
      expect(await verifyPassword('correct horse battery', damaged), damaged).toBe(false);
    }
  });

  it('have a decoy at each cost that no password opens', async () => {
    expect(decoyHash()).toMatch(/^scrypt\$17\$8\$1\$/);
    expect(decoyHash(15)).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(await verifyPassword('', decoyHash(HASH_COST.min))).toBe(false);
  });
});
