import type { Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { CallbackLogTable, Database } from '../db/schema.js';

type Tx = Transaction<Database>;

export function findTrack(db: Db, trackId: string) {
  return db
    .selectFrom('track_ids')
    .innerJoin('websites', 'websites.id', 'track_ids.website_id')
    .innerJoin('projects', 'projects.id', 'track_ids.project_id')
    .leftJoin('giveaways', 'giveaways.id', 'track_ids.giveaway_id')
    .select([
      'track_ids.track_id',
      'track_ids.project_id',
      'track_ids.website_id',
      'track_ids.giveaway_id',
      'track_ids.participant_id',
      'websites.name as website_name',
      'projects.api_key',
      'projects.previous_api_key',
      'projects.previous_key_expires_at',
      'giveaways.status',
      'giveaways.starts_at',
      'giveaways.ends_at',
    ])
    .where('track_ids.track_id', '=', trackId)
    .executeTakeFirst();
}

export function listWebsiteTasks(db: Db, giveawayId: string, websiteId: string) {
  return db
    .selectFrom('tasks')
    .select(['id', 'event', 'required_amount'])
    .where('giveaway_id', '=', giveawayId)
    .where('website_id', '=', websiteId)
    .execute();
}

export type LogRow = Omit<CallbackLogTable, 'id'>;

export async function insertLog(db: Db | Tx, row: LogRow): Promise<void> {
  await db.insertInto('callback_log').values(row).execute();
}

export function listLog(db: Db, projectId: string, limit: number) {
  return db
    .selectFrom('callback_log')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export function findProgress(tx: Tx, taskId: string, participantId: string) {
  return tx
    .selectFrom('task_progress')
    .select(['count', 'completed_at'])
    .where('task_id', '=', taskId)
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
}

/** Inserts the unit unless it is already there; the primary key makes a retry or a race count once. */
export async function insertUnit(
  tx: Tx,
  unit: { task_id: string; participant_id: string; unit_key: string; created_at: number },
): Promise<boolean> {
  const result = await tx
    .insertInto('progress_units')
    .values(unit)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function incrementProgress(tx: Tx, taskId: string, participantId: string): Promise<number> {
  const row = await tx
    .insertInto('task_progress')
    .values({ task_id: taskId, participant_id: participantId, count: 1, completed_at: null })
    .onConflict((oc) =>
      oc
        .columns(['participant_id', 'task_id'])
        .doUpdateSet((eb) => ({ count: eb('task_progress.count', '+', 1) })),
    )
    .returning('count')
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function markTaskCompleted(
  tx: Tx,
  taskId: string,
  participantId: string,
  now: number,
): Promise<void> {
  await tx
    .updateTable('task_progress')
    .set({ completed_at: now })
    .where('task_id', '=', taskId)
    .where('participant_id', '=', participantId)
    .where('completed_at', 'is', null)
    .execute();
}

export async function countIncompleteTasks(
  tx: Tx,
  giveawayId: string,
  participantId: string,
): Promise<number> {
  const row = await tx
    .selectFrom('tasks')
    .leftJoin('task_progress', (join) =>
      join
        .onRef('task_progress.task_id', '=', 'tasks.id')
        .on('task_progress.participant_id', '=', participantId),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tasks.giveaway_id', '=', giveawayId)
    .where('task_progress.completed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markEligible(tx: Tx, participantId: string, now: number): Promise<boolean> {
  const result = await tx
    .updateTable('participants')
    .set({ eligible_at: now })
    .where('id', '=', participantId)
    .where('eligible_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
