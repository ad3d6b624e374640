import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { MasterKeyError, readOrCreateKeyFile } from './master-key.js';
import { SecretBox, SecretBoxError } from './secret-box.js';

/** Every column that holds a secret, with the key of its row. */
const SEALED_COLUMNS = [
  { table: 'server_secrets', id: 'name', column: 'value' },
  { table: 'projects', id: 'id', column: 'api_key' },
  { table: 'projects', id: 'id', column: 'previous_api_key' },
  { table: 'webhook_endpoints', id: 'id', column: 'secret' },
  { table: 'giveaway_draws', id: 'giveaway_id', column: 'seed' },
] as const;

const BATCH = 500;

/**
 * Run on every start, after the migrations (which never see the key): finds the master key, checks that it
 * opens what the database already holds sealed, and seals what an older version stored in plaintext.
 */
export async function openSecretBox(db: Db, config: Config): Promise<SecretBox> {
  const sample = await sealedSample(db);
  const keyFile =
    config.database.engine === 'sqlite'
      ? path.join(path.dirname(config.database.file), 'secret.key')
      : undefined;
  const key = config.secretKey ?? readOrCreateKeyFile(keyFile as string, sample === undefined);
  const box = new SecretBox(key);
  if (sample !== undefined) {
    try {
      box.open(sample);
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      const source = config.secretKey ? 'SECRET_KEY' : keyFile;
      throw new MasterKeyError(
        `${source} does not open the secrets this database holds: use the key they were sealed with`,
      );
    }
  }
  if ((await sealPlaintext(db, box)) > 0 && config.database.engine === 'sqlite') {
    // The plaintext would otherwise linger in free pages and the WAL until SQLite reuses them.
    await sql`vacuum`.execute(db);
    await sql`pragma wal_checkpoint(truncate)`.execute(db);
  }
  return box;
}

/** One sealed value to test the key on; the cookie secret is sealed from the first start on. */
async function sealedSample(db: Db): Promise<string | undefined> {
  const row = await db
    .selectFrom('server_secrets')
    .select('value')
    .where('value', 'like', 'enc:v1:%')
    .executeTakeFirst();
  return row?.value;
}

/** Seals every plaintext secret; returns how many. Safe to run from several processes at once. */
async function sealPlaintext(db: Db, box: SecretBox): Promise<number> {
  let sealed = 0;
  for (const { table, id, column } of SEALED_COLUMNS) {
    for (;;) {
      const { rows } = await sql<{ id: string; value: string }>`
        select ${sql.ref(id)} as id, ${sql.ref(column)} as value from ${sql.table(table)}
        where ${sql.ref(column)} is not null and ${sql.ref(column)} not like 'enc:v1:%' limit ${BATCH}`.execute(
        db,
      );
      if (rows.length === 0) break;
      await db.transaction().execute(async (tx) => {
        for (const row of rows) {
          // Only if still the plaintext we read: another process may have sealed it meanwhile.
          await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${box.seal(row.value)}
            where ${sql.ref(id)} = ${row.id} and ${sql.ref(column)} = ${row.value}`.execute(tx);
        }
      });
      sealed += rows.length;
    }
  }
  return sealed;
}
