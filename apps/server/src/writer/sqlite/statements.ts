import { sharedSql } from '../statements.js';

export const sqliteSql: Record<keyof typeof sharedSql, string> = sharedSql;

/**
 * The unit counted, then the task's count raised; sqlite-connection.ts reads the new count with the
 * `progress` statement, in the same transaction. SQLite cannot write inside a WITH clause, so its writer
 * runs these in turn; in-process, each statement costs little, where a round trip to PostgreSQL would
 * cost a lot. No RETURNING, here or in the writer's other frequent statements: on SQLite it costs more
 * than a read after the write (measured in the writer's batches, per count: the unit and its count 23 →
 * 20 µs, the replay claim 21 → 13 µs, the log row 13 → 9 µs, its id then the rowid the driver answers).
 */
export const SQLITE_ADD_UNIT = {
  insertUnit:
    'insert into progress_units (task_id, participant_id, unit_key, created_at) values (?, ?, ?, ?) on conflict do nothing',
  incrementProgress: `insert into task_progress (task_id, participant_id, count, completed_at) values (?, ?, 1, null)
     on conflict (participant_id, task_id) do update set count = task_progress.count + 1`,
};
