import { OUTBOX_COLUMNS } from '../webhooks/outbox.js';

/**
 * The writer's statements on SQLite (ON CONFLICT … DO NOTHING / DO UPDATE, RETURNING). The unique keys they
 * lean on are what make a retried or concurrent callback count once. `addUnit`: see sqlite/statements.ts.
 * PostgreSQL runs the same statements, in the same order, inside proofdrop_write_batch (the migration
 * 2026-11-28-postgres-write-batch), so a change to a rule here needs a migration there.
 *
 * On SQLite, task_progress and progress_units are views of one table, `progress`, where a task's count is
 * the row with the empty unit key (the migration 2026-11-28-sqlite-progress-one-tree): the writer reads
 * through the views, which SQLite folds into the same key lookups, and writes `progress` itself.
 */
export const sharedSql = {
  markCompleted: `update progress set completed_at = ?
     where task_id = ? and participant_id = ? and unit_key = '' and completed_at is null`,
  incompleteTasks: `select count(*) as n from tasks
     left join task_progress on task_progress.task_id = tasks.id and task_progress.participant_id = ?
     where tasks.giveaway_id = ? and task_progress.completed_at is null`,
  // The moment the last of the tasks was completed: with several writers, or several tasks in one batch,
  // the completion committed last need not be the one that arrived last. Read through the giveaway's
  // tasks: on SQLite progress is keyed by task first, and a participant alone would scan it.
  markEligible: `update participants
     set eligible_at = (select max(task_progress.completed_at) from tasks
       join task_progress on task_progress.task_id = tasks.id and task_progress.participant_id = ?
       where tasks.giveaway_id = ?)
     where id = ? and eligible_at is null
     returning eligible_at`,
  insertTrack: `insert into track_ids (track_id, project_id, website_id, giveaway_id, participant_id, created_at)
     values (?, ?, ?, ?, ?, ?) on conflict do nothing`,
  trackOf: 'select track_id from track_ids where participant_id = ? and website_id = ?',
  webhookEndpoints: 'select id, events from webhook_endpoints where project_id = ? and enabled = 1',
  insertWebhookMessage: `insert into webhook_messages (${OUTBOX_COLUMNS.join(', ')})
     values (${OUTBOX_COLUMNS.map(() => '?').join(', ')})`,
  /** The giveaway's state, which a count is decided on. */
  countState: `select g.status, g.starts_at, g.ends_at, d.frozen_at, g.require_verified_email, p.email_verified_at
     from participants p
     join giveaways g on g.id = p.giveaway_id
     join giveaway_draws d on d.giveaway_id = g.id
     where p.id = ? and g.id = ?`,
  // A statement of its own, after countState: on PostgreSQL a statement that waited for a lock sees the
  // locked rows as they are now, but reads other tables as they were when it began.
  progress: 'select count from task_progress where task_id = ? and participant_id = ?',
  // A row written: this body is new within the window (an expired row is taken over); none: a replay. The
  // unique key makes it exact with the same body twice in one batch, or in two processes at once.
  claimReplay: `insert into callback_replays (track_id, sign, expires_at) values (?, ?, ?)
     on conflict (track_id, sign) do update set expires_at = excluded.expires_at
     where callback_replays.expires_at <= ?`,
};

export type StatementName = keyof typeof sharedSql | 'addUnit';

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
