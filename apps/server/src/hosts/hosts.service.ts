import type { SignInLimits } from '../config.js';
import type { Db } from '../db/database.js';
import { AppError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { normaliseEmail } from '../lib/email.js';
import { hashToken, newId, randomToken } from '../lib/random.js';
import type { LiveEvents } from '../live/live-events.js';
import {
  anyHost,
  deleteHostSessions,
  deleteSession,
  findHostByEmail,
  findHostById,
  findSessionHost,
  findUsableInvite,
  insertHost,
  insertInvite,
  insertInvitedHost,
  insertSession,
  purgeExpired,
  updatePasswordHash,
} from './hosts.repository.js';
import { decoyHash, hashPassword, storedCost, verifyPassword } from './password.js';
import { SignInGuard } from './sign-in-guard.js';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const PURGE_EVERY_MS = 60_000;
const PURGE_BATCH = 500;

export type HostView = { id: string; email: string };
export type HostSession = { token: string; host: HostView; expiresAt: number };
export type Invite = { token: string; link: string; expiresAt: string };
export type SignupPolicy = { open: boolean; publicUrl: string };

export class HostsService {
  private readonly guard: SignInGuard;
  private readonly hashCost: number;
  private readonly decoyHash: string;
  private nextPurgeAt = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly policy: SignupPolicy,
    signInLimits: SignInLimits,
    private readonly live: Pick<LiveEvents<{ id: number }>, 'revoked'>,
  ) {
    this.guard = new SignInGuard(signInLimits);
    this.hashCost = signInLimits.hashCost;
    this.decoyHash = decoyHash(signInLimits.hashCost);
  }

  /**
   * With SIGNUP=closed, `invite` must be a usable invite link's token, which is then used up; only the
   * first account of a new server needs none, or nobody could ever invite.
   */
  async signup(email: string, password: string, invite?: string): Promise<HostSession> {
    const normalised = normaliseEmail(email);
    const inviteHash = (await this.inviteRequired()) ? await this.usableInvite(invite) : undefined;
    if (await findHostByEmail(this.db, normalised)) throw emailTaken();
    const host = {
      id: newId('host'),
      email: normalised,
      password_hash: await this.guard.hash(() => hashPassword(password, this.hashCost)),
      created_at: this.clock(),
    };
    // The unique index decides a race between two signups with the same email; the claim, one on an invite.
    if (inviteHash === undefined) {
      if (!(await insertHost(this.db, host))) throw emailTaken();
    } else {
      const outcome = await insertInvitedHost(this.db, host, inviteHash, this.clock());
      if (outcome === 'email_taken') throw emailTaken();
      if (outcome === 'invite_unusable') throw inviteUnusable();
    }
    return this.openSession({ id: host.id, email: host.email });
  }

  /** With SIGNUP=closed, once the server has its first host. */
  async inviteRequired(): Promise<boolean> {
    return !this.policy.open && (await anyHost(this.db));
  }

  /** A one-time link to sign up with while sign-up is closed. */
  async createInvite(hostId: string): Promise<Invite> {
    const token = `pdi_${randomToken(24)}`;
    const now = this.clock();
    const expiresAt = now + INVITE_TTL_MS;
    await insertInvite(this.db, {
      token_hash: hashToken(token),
      host_id: hostId,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
    });
    return {
      token,
      link: `${this.policy.publicUrl}/signup?invite=${token}`,
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  /** Checked before any hashing, so an uninvited flood costs no scrypt work. */
  private async usableInvite(invite: string | undefined): Promise<string> {
    if (invite === undefined) {
      throw new AppError(
        'forbidden',
        'sign-up is by invitation on this server: ask a host for an invite link',
      );
    }
    const inviteHash = hashToken(invite);
    if (!(await findUsableInvite(this.db, inviteHash, this.clock()))) throw inviteUnusable();
    return inviteHash;
  }

  /**
   * Needs the current password, throttled as a sign-in is; every other session of the host ends, so a
   * password changed after a leak also signs the intruder out.
   */
  async changePassword(
    host: HostView,
    currentToken: string,
    current: string,
    next: string,
    clientAddress: string,
  ): Promise<void> {
    const giveBack = this.guard.takeAttempt(host.email, clientAddress, this.clock());
    let valid: boolean;
    let stored: string | undefined;
    try {
      stored = (await findHostById(this.db, host.id))?.password_hash;
      valid = await this.guard.hash(() => verifyPassword(current, stored ?? this.decoyHash));
    } catch (error) {
      giveBack();
      throw error;
    }
    if (!valid || stored === undefined) throw new AppError('forbidden', 'the current password is wrong');
    giveBack();
    const hashed = await this.guard.hash(() => hashPassword(next, this.hashCost));
    if (!(await updatePasswordHash(this.db, host.id, stored, hashed))) {
      throw new AppError(
        'invalid_state',
        'the password was changed meanwhile: sign in again with the new one',
      );
    }
    await deleteHostSessions(this.db, host.id, hashToken(currentToken));
    await this.live.revoked('host', host.id);
  }

  /** Signs the host out everywhere, this session included. */
  async revokeSessions(hostId: string): Promise<void> {
    await deleteHostSessions(this.db, hostId);
    await this.live.revoked('host', hostId);
  }

  /** Deletes expired sessions and spent invites, a batch at a time, at most once a minute; run in the background. */
  async purgeExpiredIfDue(): Promise<number> {
    const now = this.clock();
    if (now < this.nextPurgeAt) return 0;
    this.nextPurgeAt = now + PURGE_EVERY_MS;
    let purged = 0;
    for (;;) {
      const batch = await purgeExpired(this.db, now, PURGE_BATCH);
      purged += batch;
      if (batch < PURGE_BATCH) return purged;
      // Let requests in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async login(email: string, password: string, clientAddress: string): Promise<HostSession> {
    const normalised = normaliseEmail(email);
    const giveBack = this.guard.takeAttempt(normalised, clientAddress, this.clock());
    let valid: boolean;
    let host: Awaited<ReturnType<typeof findHostByEmail>>;
    try {
      host = await findHostByEmail(this.db, normalised);
      valid = await this.guard.hash(() => verifyPassword(password, host?.password_hash ?? this.decoyHash));
    } catch (error) {
      // Refused before any guess was checked (busy, or the database failed): it does not count.
      giveBack();
      throw error;
    }
    if (!host || !valid) throw new AppError('invalid_credentials', 'email or password is wrong');
    giveBack();
    await this.rehashAtCurrentCost(host.id, host.password_hash, password);
    return this.openSession({ id: host.id, email: host.email });
  }

  /**
   * A hash made at another PASSWORD_HASH_COST is made again at this one on the host's next sign-in: the
   * decoy for unknown emails runs at this cost, so until then that host's sign-in takes another time.
   */
  private async rehashAtCurrentCost(hostId: string, stored: string, password: string): Promise<void> {
    if (storedCost(stored) === this.hashCost) return;
    const rehashed = await this.guard
      .hash(() => hashPassword(password, this.hashCost))
      .catch(() => undefined);
    // Busy: the sign-in stands, and the next one tries again.
    // Only over the hash it replaces: a password changed meanwhile is not put back.
    if (rehashed) await updatePasswordHash(this.db, hostId, stored, rehashed);
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
const inviteUnusable = () =>
  new AppError('forbidden', 'this invite link is unknown, already used or expired: ask for a new one');
