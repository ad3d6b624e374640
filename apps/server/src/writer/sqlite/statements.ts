import { sharedSql } from '../statements.js';

export const sqliteSql: Record<keyof typeof sharedSql, string> = sharedSql;

/**
 * The unit counted, and the task's new count; no row when the unit was counted before. SQLite cannot write
 * inside a WITH clause, so its writer runs these two in turn (see sqlite-connection.ts); in-process, the
 * second statement costs nothing, where a round trip to PostgreSQL would.
 */
export const SQLITE_ADD_UNIT = {
  insertUnit:
    'insert into progress_units (task_id, participant_id, unit_key, created_at) values (?, ?, ?, ?) on conflict do nothing',
  incrementProgress: `insert into task_progress (task_id, participant_id, count, completed_at) values (?, ?, 1, null)
     on conflict (participant_id, task_id) do update set count = task_progress.count + 1
     returning count`,
};
