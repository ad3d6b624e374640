import type SQLite from 'better-sqlite3';
import type { WriteConnection } from '../ports.js';
import { LOG_COLUMNS, type StatementName } from '../statements.js';
import { SQLITE_ADD_UNIT, sqliteSql } from './statements.js';

/**
 * The writer's SQLite connection, on the writer thread. Statements are synchronous and prepared once;
 * IMMEDIATE takes the write lock at BEGIN, so the reads that decide a count see the latest commit.
 */
export function sqliteWriteConnection(db: SQLite.Database): WriteConnection {
  const statements = new Map(
    Object.entries(sqliteSql).map(([name, text]) => [name as StatementName, db.prepare(text)]),
  );
  const insertUnit = db.prepare(SQLITE_ADD_UNIT.insertUnit);
  const incrementProgress = db.prepare(SQLITE_ADD_UNIT.incrementProgress);
  /** Rows the named statement answers; `addUnit` is two statements here (see SQLITE_ADD_UNIT). */
  const rows = (name: StatementName, params: unknown[]): unknown[] => {
    if (name !== 'addUnit') return (statements.get(name) as SQLite.Statement).all(...params);
    const [taskId, participantId] = params;
    return insertUnit.run(...params).changes === 0 ? [] : incrementProgress.all(taskId, participantId);
  };
  const insertLog = db.prepare<unknown[], { id: number }>(
    `insert into callback_log (${LOG_COLUMNS.join(', ')}) values (${LOG_COLUMNS.map(() => '?').join(', ')}) returning id`,
  );
  return {
    one: <Row>(name: StatementName, params: unknown[]) => rows(name, params)[0] as Row | undefined,
    all: <Row>(name: StatementName, params: unknown[]) => rows(name, params) as Row[],
    run: (name, params) => (statements.get(name) as SQLite.Statement).run(...params).changes,
    begin: () => void db.exec('begin immediate'),
    // One writer: ids follow commit order by themselves.
    insertLogs: (rows) =>
      rows.map((row) => (insertLog.get(...LOG_COLUMNS.map((c) => row[c])) as { id: number }).id),
    commit: () => void db.exec('commit'),
    rollback: () => {
      if (db.inTransaction) db.exec('rollback');
    },
  };
}
