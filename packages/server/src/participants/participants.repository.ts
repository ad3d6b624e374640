import type { Db } from '../db/database.js';
import type { ParticipantsTable, TrackIdsTable } from '../db/schema.js';

export async function insertParticipant(db: Db, participant: ParticipantsTable): Promise<boolean> {
  const result = await db
    .insertInto('participants')
    .values(participant)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export function findParticipantByToken(db: Db, tokenHash: string) {
  return db.selectFrom('participants').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export function listParticipantProgress(db: Db, giveawayId: string, participantId: string) {
  return db
    .selectFrom('tasks')
    .leftJoin('task_progress', (join) =>
      join
        .onRef('task_progress.task_id', '=', 'tasks.id')
        .on('task_progress.participant_id', '=', participantId),
    )
    .select([
      'tasks.id',
      'tasks.event',
      'tasks.name',
      'tasks.required_amount',
      'tasks.website_id',
      'task_progress.count',
    ])
    .where('tasks.giveaway_id', '=', giveawayId)
    .orderBy('tasks.position')
    .execute();
}

export function findTaskWithWebsite(db: Db, taskId: string) {
  return db
    .selectFrom('tasks')
    .innerJoin('websites', 'websites.id', 'tasks.website_id')
    .select([
      'tasks.id',
      'tasks.giveaway_id',
      'tasks.event',
      'tasks.website_id',
      'websites.url as website_url',
      'websites.project_id',
    ])
    .where('tasks.id', '=', taskId)
    .executeTakeFirst();
}

export async function findOrCreateTrackId(db: Db, candidate: TrackIdsTable): Promise<string> {
  // One track_id per participant and website: the unique index settles concurrent first clicks.
  await db
    .insertInto('track_ids')
    .values(candidate)
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await db
    .selectFrom('track_ids')
    .select('track_id')
    .where('participant_id', '=', candidate.participant_id)
    .where('website_id', '=', candidate.website_id)
    .executeTakeFirstOrThrow();
  return row.track_id;
}

export async function insertTrackId(db: Db, row: TrackIdsTable): Promise<void> {
  await db.insertInto('track_ids').values(row).execute();
}

export function listGiveawayParticipants(db: Db, giveawayId: string) {
  return db
    .selectFrom('participants')
    .select(['id', 'email', 'created_at', 'eligible_at'])
    .where('giveaway_id', '=', giveawayId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function listGiveawayProgress(db: Db, giveawayId: string) {
  return db
    .selectFrom('task_progress')
    .innerJoin('tasks', 'tasks.id', 'task_progress.task_id')
    .select(['task_progress.participant_id', 'task_progress.task_id', 'task_progress.count'])
    .where('tasks.giveaway_id', '=', giveawayId)
    .execute();
}
