import type { Db } from '../db/database.js';
import type { HostsTable, InvitesTable, SessionsTable } from '../db/schema.js';

export function findHostByEmail(db: Db, email: string) {
  return db.selectFrom('hosts').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function anyHost(db: Db): Promise<boolean> {
  return (await db.selectFrom('hosts').select('id').limit(1).executeTakeFirst()) !== undefined;
}

export async function insertHost(db: Db, host: HostsTable): Promise<boolean> {
  const result = await db
    .insertInto('hosts')
    .values(host)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function insertSession(db: Db, session: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

export function findSessionHost(db: Db, tokenHash: string, now: number) {
  return db
    .selectFrom('sessions')
    .innerJoin('hosts', 'hosts.id', 'sessions.host_id')
    .select(['hosts.id', 'hosts.email'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Ends every session of the host but `keepTokenHash` (the one asking, when it stays signed in). */
export async function deleteHostSessions(db: Db, hostId: string, keepTokenHash?: string): Promise<void> {
  let query = db.deleteFrom('sessions').where('host_id', '=', hostId);
  if (keepTokenHash) query = query.where('token_hash', '!=', keepTokenHash);
  await query.execute();
}

export function findHostById(db: Db, hostId: string) {
  return db.selectFrom('hosts').selectAll().where('id', '=', hostId).executeTakeFirst();
}

/**
 * The host's new password hash, only while `replaced` is still the stored one: false when the password
 * changed meanwhile (hashing takes long enough for another change, or a sign-in's re-hash, to land).
 */
export async function updatePasswordHash(
  db: Db,
  hostId: string,
  replaced: string,
  passwordHash: string,
): Promise<boolean> {
  const result = await db
    .updateTable('hosts')
    .set({ password_hash: passwordHash })
    .where('id', '=', hostId)
    .where('password_hash', '=', replaced)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertInvite(db: Db, invite: InvitesTable): Promise<void> {
  await db.insertInto('invites').values(invite).execute();
}

export function findUsableInvite(db: Db, tokenHash: string, now: number) {
  return db
    .selectFrom('invites')
    .select('token_hash')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Creates the host with the invite's one use, or neither: false when the invite is gone or the email taken. */
export async function insertInvitedHost(
  db: Db,
  host: HostsTable,
  inviteHash: string,
  now: number,
): Promise<'created' | 'invite_unusable' | 'email_taken'> {
  return db
    .transaction()
    .execute(async (tx) => {
      const claimed = await tx
        .updateTable('invites')
        .set({ used_at: now })
        .where('token_hash', '=', inviteHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return 'invite_unusable';
      if (!(await insertHost(tx, host))) throw new EmailTaken();
      return 'created';
    })
    .catch((error: unknown) => {
      // Thrown, so the claim of the invite rolls back with it.
      if (error instanceof EmailTaken) return 'email_taken';
      throw error;
    });
}

class EmailTaken extends Error {}

/**
 * Deletes up to `limit` expired sessions and spent invites; returns how many went. Small batches keep
 * each statement short, so purging never holds the writers up.
 */
export async function purgeExpired(db: Db, now: number, limit: number): Promise<number> {
  const sessions = await db
    .deleteFrom('sessions')
    .where('token_hash', 'in', (eb) =>
      eb.selectFrom('sessions').select('token_hash').where('expires_at', '<=', now).limit(limit),
    )
    .executeTakeFirst();
  const invites = await db
    .deleteFrom('invites')
    .where('token_hash', 'in', (eb) =>
      eb
        .selectFrom('invites')
        .select('token_hash')
        .where((w) => w.or([w('expires_at', '<=', now), w('used_at', 'is not', null)]))
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(sessions.numDeletedRows) + Number(invites.numDeletedRows);
}
