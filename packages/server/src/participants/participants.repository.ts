import type { Db } from '../db/database.js';
import type { ParticipantsTable } from '../db/schema.js';

export async function insertParticipant(db: Db, participant: ParticipantsTable): Promise<boolean> {
  const result = await db
    .insertInto('participants')
    .values(participant)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
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
