import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt's cost as log2 N, with r=8, p=1 (PASSWORD_HASH_COST). 17 is OWASP's floor and needs 128 MiB a
 * hash; 14 is the scrypt paper's figure for interactive logins (16 MiB); each step doubles time and memory.
 */
export const HASH_COST = { default: 17, min: 14, max: 20 } as const;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
// scrypt needs 128·N·r bytes and a little more, above node's default maxmem of 32 MiB from cost 15: this
// admits the highest cost, set or stored, and refuses a stored hash that claims more.
const MAXMEM = 128 * R * 2 ** HASH_COST.max + 2 ** 20;

type Params = { N: number; r: number; p: number };

function derive(password: string, salt: Buffer, params: Params): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...params, maxmem: MAXMEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$<logN>$<r>$<p>$<salt>$<hash>`: the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string, cost: number = HASH_COST.default): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N: 2 ** cost, r: R, p: P });
  return ['scrypt', cost, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * The cost a stored hash was made with, or undefined when it is not one of ours: only r=8, p=1 and a cost
 * this server could have set are derived, so a damaged row cannot ask scrypt for minutes or gigabytes.
 */
export function storedCost(stored: string): number | undefined {
  const [scheme, logN, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || r !== String(R) || p !== String(P)) return undefined;
  const cost = Number(logN);
  return Number.isInteger(cost) && cost >= 1 && cost <= HASH_COST.max ? cost : undefined;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const cost = storedCost(stored);
  const [, , , , salt, hash] = stored.split('$');
  if (cost === undefined || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: 2 ** cost, r: R, p: P });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * Verified against when the email is unknown, so a login takes as long whether or not the account exists:
 * at the cost new hashes are made with.
 */
export const decoyHash = (cost: number = HASH_COST.default) =>
  `scrypt$${cost}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;
