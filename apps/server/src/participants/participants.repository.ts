import { sql } from 'kysely';
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

/** One page of a giveaway's entries in join order, after `after` (keyset paging: constant cost per page). */
export function listParticipantsPage(
  db: Db,
  giveawayId: string,
  after: { createdAt: number; id: string } | undefined,
  limit: number,
) {
  let query = db
    .selectFrom('participants')
    .select(['id', 'email', 'created_at', 'eligible_at'])
    .where('giveaway_id', '=', giveawayId);
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '>', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)]),
      ]),
    );
  }
  return query.orderBy('created_at').orderBy('id').limit(limit).execute();
}

/** Entries whose email contains `search` (any case), in join order: a page of them and how many match. */
export async function searchParticipants(
  db: Db,
  giveawayId: string,
  search: string,
  offset: number,
  limit: number,
) {
  // `!` escapes LIKE's wildcards, so a search for "a_b" or "50%" means those characters.
  const pattern = `%${search.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
  const base = db
    .selectFrom('participants')
    .where('giveaway_id', '=', giveawayId)
    .where(sql<boolean>`email like ${pattern} escape '!'`);
  const [rows, total] = await Promise.all([
    base
      .select(['id', 'email', 'created_at', 'eligible_at'])
      .orderBy('created_at')
      .orderBy('id')
      .offset(offset)
      .limit(limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export function listParticipantsByIds(db: Db, giveawayId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('participants')
    .select(['id', 'email', 'created_at', 'eligible_at'])
    .where('giveaway_id', '=', giveawayId)
    .where('id', 'in', ids)
    .execute();
}

export function listProgressOf(db: Db, participantIds: string[]) {
  if (participantIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('task_progress')
    .select(['participant_id', 'task_id', 'count'])
    .where('participant_id', 'in', participantIds)
    .execute();
}

export function findWinners(db: Db, giveawayId: string) {
  return db
    .selectFrom('giveaway_draws')
    .select('winners')
    .where('giveaway_id', '=', giveawayId)
    .where('drawn_at', 'is not', null)
    .executeTakeFirst();
}
