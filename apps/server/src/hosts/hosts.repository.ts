import type { Db } from '../db/database.js';
import type { HostsTable, SessionsTable } from '../db/schema.js';

export function findHostByEmail(db: Db, email: string) {
  return db.selectFrom('hosts').selectAll().where('email', '=', email).executeTakeFirst();
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
