/**
 * The writer's statements: plain SQL that SQLite and PostgreSQL both speak (ON CONFLICT … DO NOTHING /
 * DO UPDATE, RETURNING). The unique keys they lean on are what make a retried or concurrent callback count
 * once. Written with `?`; PostgreSQL gets them numbered.
 */
const SHARED = {
  markCompleted:
    'update task_progress set completed_at = ? where task_id = ? and participant_id = ? and completed_at is null',
  incompleteTasks: `select count(*) as n from tasks
     left join task_progress on task_progress.task_id = tasks.id and task_progress.participant_id = ?
     where tasks.giveaway_id = ? and task_progress.completed_at is null`,
  // The moment the last of the tasks was completed: with several writers, or several tasks in one batch,
  // the completion committed last need not be the one that arrived last.
  markEligible: `update participants
     set eligible_at = (select max(completed_at) from task_progress where participant_id = ?)
     where id = ? and eligible_at is null
     returning eligible_at`,
  insertTrack: `insert into track_ids (track_id, project_id, website_id, giveaway_id, participant_id, created_at)
     values (?, ?, ?, ?, ?, ?) on conflict do nothing`,
  trackOf: 'select track_id from track_ids where participant_id = ? and website_id = ?',
  webhookEndpoints: 'select id, events from webhook_endpoints where project_id = ? and enabled = 1',
  insertWebhookMessage: `insert into webhook_messages (id, endpoint_id, event_type, payload, created_at, state, attempts, next_attempt_at, delivered_at)
     values (?, ?, ?, ?, ?, 'pending', 0, ?, null)`,
  /** The giveaway's state, which a count is decided on. */
  countState: `select g.status, g.starts_at, g.ends_at, d.frozen_at, g.require_verified_email, p.email_verified_at
     from participants p
     join giveaways g on g.id = p.giveaway_id
     join giveaway_draws d on d.giveaway_id = g.id
     where p.id = ? and g.id = ?`,
  // A statement of its own, after countState: on PostgreSQL a statement that waited for a lock sees the
  // locked rows as they are now, but reads other tables as they were when it began.
  progress: 'select count from task_progress where task_id = ? and participant_id = ?',
  // A row back: this body is new within the window (an expired row is taken over); none: a replay. The
  // unique key makes it exact with the same body twice in one batch, or in two processes at once.
  claimReplay: `insert into callback_replays (track_id, sign, expires_at) values (?, ?, ?)
     on conflict (track_id, sign) do update set expires_at = excluded.expires_at
     where callback_replays.expires_at <= ?
     returning expires_at`,
};

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

const POSTGRES_ADD_UNIT = `with unit as (
       insert into progress_units (task_id, participant_id, unit_key, created_at) values (?, ?, ?, ?)
       on conflict do nothing returning task_id, participant_id
     )
     insert into task_progress (task_id, participant_id, count, completed_at)
     select task_id, participant_id, 1, null from unit
     on conflict (participant_id, task_id) do update set count = task_progress.count + 1
     returning count`;

export type StatementName = keyof typeof SHARED | 'addUnit';

export const sqliteSql: Record<keyof typeof SHARED, string> = SHARED;

/**
 * With several writers (one a process), a count locks its participant first: everything that decides the
 * participant's progress and eligibility is then read after the previous writer's commit. The giveaway and
 * its draw are only shared, so an end or a freeze waits for counts in flight, and counts wait for it.
 */
export const postgresSql: Record<StatementName, string> = Object.fromEntries(
  Object.entries({ ...SHARED, addUnit: POSTGRES_ADD_UNIT }).map(([name, text]) => {
    const locked = name === 'countState' ? `${text} for no key update of p for share of g, d` : text;
    let n = 0;
    return [name, locked.replace(/\?/g, () => `$${++n}`)];
  }),
) as Record<StatementName, string>;

/** The callback log's columns, in the order the log inserts write them. */
export const LOG_COLUMNS = [
  'project_id',
  'received_at',
  'track_id',
  'event',
  'remark',
  'code',
  'detail',
  'expected_canonical',
  'hint',
] as const;

/** How the writer runs its statements, on either engine: rows back, or the number of rows changed. */
export interface WriteStore {
  one<Row>(name: StatementName, params: unknown[]): Promise<Row | undefined>;
  all<Row>(name: StatementName, params: unknown[]): Promise<Row[]>;
  run(name: StatementName, params: unknown[]): Promise<number>;
}
