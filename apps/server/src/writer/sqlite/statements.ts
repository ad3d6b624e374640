import { sharedSql } from '../statements.js';

export const sqliteSql: Record<keyof typeof sharedSql, string> = sharedSql;

/**
 * `addUnit`: the unit counted, then the task's count raised; nothing changes when the unit was counted
 * before. SQLite cannot write inside a WITH clause, so its writer runs these two in turn (see
 * sqlite-connection.ts); in-process, each statement costs little, where a round trip to PostgreSQL would
 * cost a lot. The new count is the one apply.ts read just before, plus one: under the write lock nothing
 * else moved it. No RETURNING, here or in the writer's other frequent statements: on SQLite it costs
 * more than the statement it is on (measured in the writer's batches, per count: the replay claim 21 →
 * 13 µs, the log row 13 → 9 µs, its id then the rowid the driver answers).
 */
export const SQLITE_ADD_UNIT = {
  insertUnit:
    'insert into progress (task_id, participant_id, unit_key, created_at) values (?, ?, ?, ?) on conflict do nothing',
  // The count is the row with the empty unit key, beside the units in the same b-tree (writer/statements.ts).
  incrementProgress: `insert into progress (task_id, participant_id, unit_key, count) values (?, ?, '', 1)
     on conflict (task_id, participant_id, unit_key) do update set count = progress.count + 1`,
};
