import { type StatementName, sharedSql } from '../statements.js';

/** The unit counted, and the task's new count, in one round trip; no row when the unit was counted before. */
const POSTGRES_ADD_UNIT = `with unit as (
       insert into progress_units (task_id, participant_id, unit_key, created_at) values (?, ?, ?, ?)
       on conflict do nothing returning task_id, participant_id
     )
     insert into task_progress (task_id, participant_id, count, completed_at)
     select task_id, participant_id, 1, null from unit
     on conflict (participant_id, task_id) do update set count = task_progress.count + 1
     returning count`;

/**
 * With several writers (one a process), a count locks its participant first: everything that decides the
 * participant's progress and eligibility is then read after the previous writer's commit. The giveaway and
 * its draw are only shared, so an end or a freeze waits for counts in flight, and counts wait for it.
 */
export const postgresSql: Record<StatementName, string> = Object.fromEntries(
  Object.entries({ ...sharedSql, addUnit: POSTGRES_ADD_UNIT }).map(([name, text]) => {
    const locked = name === 'countState' ? `${text} for no key update of p for share of g, d` : text;
    let n = 0;
    return [name, locked.replace(/\?/g, () => `$${++n}`)];
  }),
) as Record<StatementName, string>;
