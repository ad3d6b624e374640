import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct statements kept prepared: the application has a few hundred; the rest are prepared each time. */
const MAX_STATEMENTS = 1000;

/**
 * The connection as Kysely's SQLite dialect sees it, keeping each statement prepared once. Kysely prepares
 * every query it runs, and the lookups that fill the hot path's caches (a participant's first callback,
 * first track link) spent as long in `prepare` as in the query. Kysely holds one query at a time on the
 * connection, and better-sqlite3's `all` and `run` finish before they return, so a kept statement is never
 * in use twice; a stream gets a statement of its own, since a reader may abandon it half read.
 */
export function withStatementCache(db: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  const kept = (sql: string): SQLite.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (statements.size < MAX_STATEMENTS) statements.set(sql, statement);
    }
    return statement;
  };
  return {
    close: () => db.close(),
    prepare: (sql: string): SqliteStatement => {
      const statement = kept(sql);
      return {
        reader: statement.reader,
        all: (parameters) => statement.all(parameters),
        run: (parameters) => statement.run(parameters),
        iterate: (parameters) => db.prepare(sql).iterate(parameters),
      };
    },
  };
}
