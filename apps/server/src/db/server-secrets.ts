import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Db } from './database.js';

/**
 * A secret the server needs for itself (cookie signing), made on first start and kept sealed in the
 * database, so a fresh instance needs no setup and every process sharing the database agrees on it.
 */
export async function serverSecret(db: Db, box: SecretBox, name: string): Promise<string> {
  await db
    .insertInto('server_secrets')
    .values({ name, value: box.seal(randomBytes(32).toString('base64url')) })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await db
    .selectFrom('server_secrets')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return box.open(row.value);
}
