import { randomBytes } from 'node:crypto';
import type { Db } from './database.js';

/**
 * A secret the server needs for itself (cookie signing), made on first start and kept in the database, so
 * a fresh instance needs no setup and every process sharing the database agrees on it.
 */
export async function serverSecret(db: Db, name: string): Promise<string> {
  await db
    .insertInto('server_secrets')
    .values({ name, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await db
    .selectFrom('server_secrets')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.value;
}
