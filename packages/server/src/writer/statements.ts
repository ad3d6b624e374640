import type SQLite from 'better-sqlite3';
import type { GiveawayStatus } from '../db/schema.js';

/**
 * The writer's statements, prepared once. Plain SQL that SQLite and PostgreSQL both speak
 * (ON CONFLICT … DO NOTHING / DO UPDATE, RETURNING); the unique keys they lean on are what make a
 * retried or concurrent callback count once.
 */
export function prepareStatements(db: SQLite.Database) {
  return {
    progress: db.prepare<[string, string], { count: number }>(
      'select count from task_progress where task_id = ? and participant_id = ?',
    ),
    insertUnit: db.prepare(
      'insert into progress_units (task_id, participant_id, unit_key, created_at) values (?, ?, ?, ?) on conflict do nothing',
    ),
    incrementProgress: db.prepare<[string, string], { count: number }>(
      `insert into task_progress (task_id, participant_id, count, completed_at) values (?, ?, 1, null)
       on conflict (participant_id, task_id) do update set count = task_progress.count + 1
       returning count`,
    ),
    markCompleted: db.prepare(
      'update task_progress set completed_at = ? where task_id = ? and participant_id = ? and completed_at is null',
    ),
    incompleteTasks: db.prepare<[string, string], { n: number }>(
      `select count(*) as n from tasks
       left join task_progress on task_progress.task_id = tasks.id and task_progress.participant_id = ?
       where tasks.giveaway_id = ? and task_progress.completed_at is null`,
    ),
    markEligible: db.prepare('update participants set eligible_at = ? where id = ? and eligible_at is null'),
    insertLog: db.prepare(
      `insert into callback_log (project_id, received_at, track_id, event, remark, code, detail, expected_canonical, hint)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertTrack: db.prepare(
      `insert into track_ids (track_id, project_id, website_id, giveaway_id, participant_id, created_at)
       values (?, ?, ?, ?, ?, ?) on conflict do nothing`,
    ),
    trackOf: db.prepare<[string, string], { track_id: string }>(
      'select track_id from track_ids where participant_id = ? and website_id = ?',
    ),
    webhookEndpoints: db.prepare<[string], { id: string; events: string }>(
      'select id, events from webhook_endpoints where project_id = ? and enabled = 1',
    ),
    insertWebhookMessage: db.prepare(
      `insert into webhook_messages (id, endpoint_id, event_type, payload, created_at, state, attempts, next_attempt_at, delivered_at)
       values (?, ?, ?, ?, ?, 'pending', 0, ?, null)`,
    ),
    giveawayState: db.prepare<
      [string],
      { status: GiveawayStatus; starts_at: number | null; ends_at: number | null; frozen_at: number | null }
    >(
      `select g.status, g.starts_at, g.ends_at, d.frozen_at from giveaways g
       left join giveaway_draws d on d.giveaway_id = g.id where g.id = ?`,
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
