import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { ParticipantsTable } from '../db/schema.js';
import { entryListOpen } from '../draws/draws.repository.js';

export async function insertParticipant(db: Db, participant: ParticipantsTable): Promise<boolean> {
  const result = await db
    .insertInto('participants')
    .values(participant)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Marks a proof-of-work solution as used; false when it was used before. Kept until its challenge expires. */
export async function spendChallenge(db: Db, nonce: string, expiresAt: number): Promise<boolean> {
  const result = await db
    .insertInto('spent_challenges')
    .values({ nonce, expires_at: expiresAt })
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
    .select(['id', 'email', 'created_at', 'eligible_at', 'ip_bucket', 'email_verified_at'])
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
      .select(['id', 'email', 'created_at', 'eligible_at', 'ip_bucket', 'email_verified_at'])
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
    .select(['id', 'email', 'created_at', 'eligible_at', 'ip_bucket', 'email_verified_at'])
    .where('giveaway_id', '=', giveawayId)
    .where('id', 'in', ids)
    .execute();
}

/** How many of the giveaway's entries joined from each of these networks. */
export async function countBuckets(
  db: Db,
  giveawayId: string,
  buckets: string[],
): Promise<Map<string, number>> {
  if (buckets.length === 0) return new Map();
  const rows = await db
    .selectFrom('participants')
    .select((eb) => ['ip_bucket', eb.fn.countAll<number>().as('entries')])
    .where('giveaway_id', '=', giveawayId)
    .where('ip_bucket', 'in', buckets)
    .groupBy('ip_bucket')
    .execute();
  return new Map(rows.map((r) => [r.ip_bucket as string, Number(r.entries)]));
}

/** Named by task and participant both: on SQLite progress is keyed by task first (see db/schema.ts). */
export function listProgressOf(db: Db, taskIds: string[], participantIds: string[]) {
  if (taskIds.length === 0 || participantIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('task_progress')
    .select(['participant_id', 'task_id', 'count'])
    .where('task_id', 'in', taskIds)
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

export function findParticipantByEmail(db: Db, giveawayId: string, email: string) {
  return db
    .selectFrom('participants')
    .select(['id', 'email_verified_at'])
    .where('giveaway_id', '=', giveawayId)
    .where('email', '=', email)
    .executeTakeFirst();
}

/** What decides whether an entry counts besides its tasks: its address, when the giveaway verifies them. */
export function findEntryState(db: Db, participantId: string) {
  return db
    .selectFrom('participants as p')
    .innerJoin('giveaways as g', 'g.id', 'p.giveaway_id')
    .select(['p.email', 'p.email_verified_at', 'p.eligible_at', 'g.require_verified_email', 'g.winner_mode'])
    .where('p.id', '=', participantId)
    .executeTakeFirstOrThrow();
}

/** The entries that became eligible before this one, in the frozen list's order (eligible_at, then id). */
export async function countEligibleBefore(
  db: Db,
  giveawayId: string,
  eligibleAt: number,
  participantId: string,
): Promise<number> {
  const row = await db
    .selectFrom('participants')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('giveaway_id', '=', giveawayId)
    .where((eb) =>
      eb.or([
        eb('eligible_at', '<', eligibleAt),
        eb.and([eb('eligible_at', '=', eligibleAt), eb('id', '<', participantId)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Marks the address proven, once; false when it already was. On PostgreSQL this locks the participant's
 * row first, as a count does, so a count and a verification of one entry never interleave.
 */
export async function markEmailVerified(db: Db, participantId: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('participants')
    .set({ email_verified_at: at })
    .where('id', '=', participantId)
    .where('email_verified_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The tokens handed out before the address was proven stop working: the join's and any sign-in's. */
export async function revokeTokens(db: Db, participantId: string, unusableHash: string): Promise<void> {
  await db
    .updateTable('participants')
    .set({ token_hash: unusableHash })
    .where('id', '=', participantId)
    .execute();
  await db.deleteFrom('participant_tokens').where('participant_id', '=', participantId).execute();
}

export async function insertParticipantToken(
  db: Db,
  token: { token_hash: string; participant_id: string; created_at: number },
): Promise<void> {
  await db.insertInto('participant_tokens').values(token).execute();
}

/**
 * Makes a proven entry eligible when every task is done and the entry list is not frozen yet; answers the
 * time, or undefined when it did not (yet) become eligible.
 */
export async function markEligibleIfDone(
  db: Db,
  participantId: string,
  giveawayId: string,
  at: number,
): Promise<number | undefined> {
  if (!(await entryListOpen(db, giveawayId))) return undefined;
  const marked = await db
    .updateTable('participants')
    .set({ eligible_at: at })
    .where('id', '=', participantId)
    .where('eligible_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('tasks')
            .leftJoin('task_progress', (join) =>
              join
                .onRef('task_progress.task_id', '=', 'tasks.id')
                .on('task_progress.participant_id', '=', participantId),
            )
            .select('tasks.id')
            .where('tasks.giveaway_id', '=', giveawayId)
            .where('task_progress.completed_at', 'is', null),
        ),
      ),
    )
    .returning('eligible_at')
    .executeTakeFirst();
  return marked?.eligible_at ?? undefined;
}
