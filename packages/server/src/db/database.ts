import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import type { DatabaseConfig } from '../config.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export class DatabaseSetupError extends Error {}

/**
 * A connection with the durability a 200 promises: WAL with synchronous=FULL. The driver's build defaults
 * WAL to NORMAL, which can lose the last commits on power loss, so FULL is set and then read back.
 */
export function openSqliteConnection(file: string): SQLite.Database {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const journal = sqlite.pragma('journal_mode', { simple: true });
  const synchronous = sqlite.pragma('synchronous', { simple: true });
  if (journal !== 'wal' || synchronous !== 2) {
    sqlite.close();
    throw new DatabaseSetupError(
      `SQLite at ${file} runs journal_mode=${String(journal)}, synchronous=${String(synchronous)}; need wal and 2 (FULL)`,
    );
  }
  return sqlite;
}

export async function openDatabase(config: DatabaseConfig): Promise<Db> {
  fs.mkdirSync(path.dirname(config.file), { recursive: true });
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: openSqliteConnection(config.file) }),
  });
  await migrate(db);
  return db;
}

/** Migrations this code knows that the database has not run. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}

async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new DatabaseSetupError(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
