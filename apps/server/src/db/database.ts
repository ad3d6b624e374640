import fs from 'node:fs';
import path from 'node:path';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import { DatabaseSetupError } from './database-setup-error.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';
import { type Checkpoints, openSqliteConnection } from './sqlite-file.js';
import { withStatementCache } from './sqlite-statement-cache.js';

export type Db = Kysely<Database>;

/**
 * Whether a row lock (`for update`, `for share`) means anything: SQLite has none, and needs none, since its
 * transactions begin IMMEDIATE and so run one at a time.
 */
export const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Kysely runs SQLite's migrations statement by statement, each its own commit and fsync, since it assumes
 * DDL cannot be rolled back; SQLite's can. In one transaction, a fresh database is set up with one fsync
 * instead of hundreds, and a migration that fails leaves the database as it was.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Kysely begins SQLite's transactions DEFERRED. One that reads before it writes then fails at its first
 * write with SQLITE_BUSY whenever the writer thread holds the lock (most of the time under a callback load),
 * whatever busy_timeout says: SQLite does not wait while holding a snapshot that the other commit may make
 * stale. IMMEDIATE takes the write lock at BEGIN, where it waits for the writer's commit as a lone
 * statement does.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ServerSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.config);
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** PostgreSQL answers int8 (our millisecond times, counts, row ids) as text; all of ours fit a double. */
const INT8_OID = 20;

/**
 * Bounds on every PostgreSQL connection, so that a lost server or network fails requests instead of
 * hanging them: a writer stuck on a dead socket would hold its batch, and its open transaction would hold
 * row locks that stop the writers of every other process.
 */
const CONNECT_TIMEOUT_MS = 10_000;
const QUERY_TIMEOUT_MS = 30_000;
const SERVER_LIMITS = [
  'statement_timeout=30000',
  'lock_timeout=20000',
  'idle_in_transaction_session_timeout=60000',
];

export function postgresClientConfig(url: string): pg.ClientConfig {
  return {
    connectionString: url,
    keepAlive: true,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    options: SERVER_LIMITS.map((setting) => `-c ${setting}`).join(' '),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? Number
          : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
    },
  };
}

/** `checkpoints` is for SQLite: 'background' only where a checkpoint thread runs beside the connection. */
export async function openDatabase(
  config: DatabaseConfig,
  checkpoints: Checkpoints = 'automatic',
): Promise<Db> {
  let dialect: SqliteDialect | PostgresDialect;
  if (config.engine === 'sqlite') {
    fs.mkdirSync(path.dirname(config.file), { recursive: true });
    dialect = new ServerSqliteDialect({
      database: withStatementCache(openSqliteConnection(config.file, checkpoints)),
    });
  } else {
    const pool = new pg.Pool({ ...postgresClientConfig(config.url), max: config.poolSize });
    // An idle connection that breaks is dropped by the pool; without a listener the error would crash us.
    pool.on('error', () => {});
    dialect = new PostgresDialect({ pool });
  }
  const db = new Kysely<Database>({ dialect });
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

/** Migrations this code knows that the database has not run. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}

async function migrate(db: Db): Promise<void> {
  // Branches land in any order, so a database may have run a migration named after one it lacks: the
  // missing ones run then, each in name order (none depends on a later-named one).
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (failed) throw new DatabaseSetupError(`migration ${failed.migrationName} failed: ${String(error)}`);
  if (error) throw new DatabaseSetupError(`cannot open the database: ${messageOf(error)}`);
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(messageOf).join('; ');
  return error instanceof Error ? error.message : String(error);
}
