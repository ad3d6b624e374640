import type { Db } from '../db/database.js';
import { AppError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { normaliseEmail } from '../lib/email.js';
import { hashToken, newId, randomToken } from '../lib/random.js';
import { RateLimiter } from '../lib/rate-limit.js';
import {
  deleteSession,
  findHostByEmail,
  findSessionHost,
  insertHost,
  insertSession,
} from './hosts.repository.js';
import { DECOY_HASH, hashPassword, verifyPassword } from './password.js';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export type HostView = { id: string; email: string };
export type HostSession = { token: string; host: HostView; expiresAt: number };

/**
 * Ten failed sign-ins per email and client address at once, then one every 12 s: slows guessing, and
 * since only failures from that address count, a stranger cannot lock the owner out.
 */
const LOGIN_BURST = 10;
const LOGIN_RATE_PER_SECOND = 1 / 12;

export class HostsService {
  private readonly loginAttempts = new RateLimiter(LOGIN_RATE_PER_SECOND, LOGIN_BURST);

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async signup(email: string, password: string): Promise<HostSession> {
    const normalised = normaliseEmail(email);
    if (await findHostByEmail(this.db, normalised)) throw emailTaken();
    const host = {
      id: newId('host'),
      email: normalised,
      password_hash: await hashPassword(password),
      created_at: this.clock(),
    };
    // The unique index decides a race between two signups with the same email.
    if (!(await insertHost(this.db, host))) throw emailTaken();
    return this.openSession({ id: host.id, email: host.email });
  }

  async login(email: string, password: string, clientAddress: string): Promise<HostSession> {
    const attempts = `${normaliseEmail(email)} ${clientAddress}`;
    if (!this.loginAttempts.allows(attempts, this.clock())) {
      throw new AppError(
        'rate_limited',
        'too many failed sign-ins for this email; wait a minute and try again',
      );
    }
    const host = await findHostByEmail(this.db, normaliseEmail(email));
    const valid = await verifyPassword(password, host?.password_hash ?? DECOY_HASH);
    if (!host || !valid) {
      this.loginAttempts.take(attempts, this.clock());
      throw new AppError('invalid_credentials', 'email or password is wrong');
    }
    return this.openSession({ id: host.id, email: host.email });
  }

  async hostForToken(token: string): Promise<HostView | undefined> {
    return findSessionHost(this.db, hashToken(token), this.clock());
  }

  async logout(token: string): Promise<void> {
    await deleteSession(this.db, hashToken(token));
  }

  private async openSession(host: HostView): Promise<HostSession> {
    const token = `pds_${randomToken(32)}`;
    const now = this.clock();
    const expiresAt = now + SESSION_TTL_MS;
    await insertSession(this.db, {
      token_hash: hashToken(token),
      host_id: host.id,
      created_at: now,
      expires_at: expiresAt,
    });
    return { token, host, expiresAt };
  }
}

const emailTaken = () => new AppError('email_taken', 'an account with this email already exists');
