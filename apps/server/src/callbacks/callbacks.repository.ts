import type { Db } from '../db/database.js';

/** `trackIds`: any of these (a participant's); none matches nothing. */
export type LogFilter = {
  codes?: readonly string[];
  trackId?: string;
  trackIds?: readonly string[];
  remark?: string;
};

/**
 * A page of the log, newest first: the rows older than `before` (or the newest) that the filter keeps, at
 * most `limit`, and the id to read on from, older (null once no older row is left). A filtered read looks
 * through the project's newest `scan` rows only, so its cost is a page's whatever the log's length (the
 * project's index orders its rows by id); when that finds fewer than `limit`, reading on starts below it.
 */
export async function listLog(
  db: Db,
  projectId: string,
  page: { limit: number; before: number | undefined; scan: number },
  filter: LogFilter,
) {
  // No code can match (an outcome and a code of the other outcome): PostgreSQL refuses an empty `in ()`.
  if (filter.codes?.length === 0 || filter.trackIds?.length === 0) return { rows: [], nextBefore: null };
  const older = db
    .selectFrom('callback_log')
    .where('project_id', '=', projectId)
    .$if(page.before !== undefined, (q) => q.where('id', '<', page.before as number));
  const filtered = Object.values(filter).some((value) => value !== undefined);
  // One row more than the page: whether another page follows, without a second read.
  const scanned = older.orderBy('id', 'desc').limit(filtered ? page.scan : page.limit + 1);
  const rows = await db
    .selectFrom(scanned.selectAll().as('w'))
    .selectAll()
    .$if(filter.codes !== undefined, (q) => q.where('code', 'in', filter.codes as readonly string[]))
    .$if(filter.trackId !== undefined, (q) => q.where('track_id', '=', filter.trackId as string))
    .$if(filter.trackIds !== undefined, (q) =>
      q.where('track_id', 'in', filter.trackIds as readonly string[]),
    )
    .$if(filter.remark !== undefined, (q) => q.where('remark', '=', filter.remark as string))
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  if (rows.length > page.limit) {
    const shown = rows.slice(0, page.limit);
    return { rows: shown, nextBefore: shown.at(-1)?.id ?? null };
  }
  if (!filtered) return { rows, nextBefore: null };
  // The scan's last row, there only when the scan was full: reading on starts below it.
  const last = await scanned
    .select('id')
    .offset(page.scan - 1)
    .executeTakeFirst();
  return { rows, nextBefore: last ? last.id : null };
}

/** Rows after `afterId`, oldest first: what a live client missed while it was away. */
export function listLogAfter(db: Db, projectId: string, afterId: number, limit: number) {
  return db
    .selectFrom('callback_log')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** How many Check API callback test track_ids the project made since `since`. */
export async function countTestTrackIdsSince(db: Db, projectId: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('track_ids')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('project_id', '=', projectId)
    .where('participant_id', 'is', null)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many rows follow `afterId`, counting no further than `max` + 1: enough to know there are more. */
export async function countLogAfter(
  db: Db,
  projectId: string,
  afterId: number,
  max: number,
): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('callback_log')
        .select('id')
        .where('project_id', '=', projectId)
        .where('id', '>', afterId)
        .limit(max + 1)
        .as('missed'),
    )
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The project's newest row id, 0 without one: where a live view of any filter starts following. */
export async function newestLogId(db: Db, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('callback_log')
    .select('id')
    .where('project_id', '=', projectId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? 0;
}

/**
 * The track_ids of the project's entries made with this (normalised) email, in any of its giveaways: found
 * from the project's giveaways by (giveaway, email), then by participant, each through its own index.
 */
export async function listTrackIdsOfEmail(db: Db, projectId: string, email: string): Promise<string[]> {
  const rows = await db
    .selectFrom('giveaways')
    .innerJoin('participants', 'participants.giveaway_id', 'giveaways.id')
    .innerJoin('track_ids', 'track_ids.participant_id', 'participants.id')
    .select('track_ids.track_id')
    .where('giveaways.project_id', '=', projectId)
    .where('participants.email', '=', email)
    .execute();
  return rows.map((row) => row.track_id);
}
