import type SQLite from 'better-sqlite3';
import type { WriteConnection } from './commit-batch.js';
import { LOG_COLUMNS, type StatementName, sqliteSql } from './statements.js';

/**
 * The writer's SQLite connection, on the writer thread. Statements are synchronous and prepared once;
 * IMMEDIATE takes the write lock at BEGIN, so the reads that decide a count see the latest commit.
 */
export function sqliteWriteConnection(db: SQLite.Database): WriteConnection {
  const statements = new Map(
    Object.entries(sqliteSql).map(([name, text]) => [name as StatementName, db.prepare(text)]),
  );
  const statement = (name: StatementName) => statements.get(name) as SQLite.Statement;
  const insertLog = db.prepare<unknown[], { id: number }>(
    `insert into callback_log (${LOG_COLUMNS.join(', ')}) values (${LOG_COLUMNS.map(() => '?').join(', ')}) returning id`,
  );
  return {
    one: async <Row>(name: StatementName, params: unknown[]) =>
      statement(name).get(...params) as Row | undefined,
    all: async <Row>(name: StatementName, params: unknown[]) => statement(name).all(...params) as Row[],
    run: async (name, params) => statement(name).run(...params).changes,
    begin: async () => void db.exec('begin immediate'),
    // One writer: ids follow commit order by themselves.
    insertLogs: async (rows) =>
      rows.map((row) => (insertLog.get(...LOG_COLUMNS.map((c) => row[c])) as { id: number }).id),
    beforeCommit: async () => {},
    commit: async () => void db.exec('commit'),
    rollback: async () => {
      if (db.inTransaction) db.exec('rollback');
    },
    isTransient: () => false,
  };
}
