import type { Db } from '../db/database.js';
import { AppError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { hashToken, newId, randomToken } from '../lib/random.js';
import {
  deleteSession,
  findHostByEmail,
  findSessionHost,
  insertHost,
  insertSession,
} from './hosts.repository.js';
import { DECOY_HASH, hashPassword, verifyPassword } from './password.js';
import { SignInGuard } from './sign-in-guard.js';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export type HostView = { id: string; email: string };
export type HostSession = { token: string; host: HostView; expiresAt: number };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class HostsService {
  private readonly guard = new SignInGuard();

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
      password_hash: await this.guard.hash(() => hashPassword(password)),
      created_at: this.clock(),
    };
    // The unique index decides a race between two signups with the same email.
    if (!(await insertHost(this.db, host))) throw emailTaken();
    return this.openSession({ id: host.id, email: host.email });
  }

  async login(email: string, password: string, clientAddress: string): Promise<HostSession> {
    const normalised = normaliseEmail(email);
    const giveBack = this.guard.takeAttempt(normalised, clientAddress, this.clock());
    let valid: boolean;
    let host: Awaited<ReturnType<typeof findHostByEmail>>;
    try {
      host = await findHostByEmail(this.db, normalised);
      valid = await this.guard.hash(() => verifyPassword(password, host?.password_hash ?? DECOY_HASH));
    } catch (error) {
      // Refused before any guess was checked (busy, or the database failed): it does not count.
      giveBack();
      throw error;
    }
    if (!host || !valid) throw new AppError('invalid_credentials', 'email or password is wrong');
    giveBack();
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
