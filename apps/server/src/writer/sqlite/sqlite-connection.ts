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
  const statement = (name: StatementName) => statements.get(name) as SQLite.Statement;
  /** `addUnit` is two statements here (see SQLITE_ADD_UNIT): 1 when the unit is new, 0 when counted before. */
  const addUnit = (params: unknown[]): number => {
    if (insertUnit.run(...params).changes === 0) return 0;
    const [taskId, participantId] = params;
    incrementProgress.run(taskId, participantId);
    return 1;
  };
  // Its id is the rowid (`integer primary key`), which the driver answers without a RETURNING clause.
  const insertLog = db.prepare(
    `insert into callback_log (${LOG_COLUMNS.join(', ')}) values (${LOG_COLUMNS.map(() => '?').join(', ')})`,
  );
  return {
    one: <Row>(name: StatementName, params: unknown[]) => statement(name).get(...params) as Row | undefined,
    all: <Row>(name: StatementName, params: unknown[]) => statement(name).all(...params) as Row[],
    run: (name, params) => (name === 'addUnit' ? addUnit(params) : statement(name).run(...params).changes),
    begin: () => void db.exec('begin immediate'),
    // One writer: ids follow commit order by themselves.
    insertLogs: (rows) =>
      rows.map((row) => Number(insertLog.run(...LOG_COLUMNS.map((c) => row[c])).lastInsertRowid)),
    commit: () => void db.exec('commit'),
    rollback: () => {
      if (db.inTransaction) db.exec('rollback');
    },
  };
}
