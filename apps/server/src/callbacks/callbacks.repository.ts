import type { Db } from '../db/database.js';

export function listLog(db: Db, projectId: string, limit: number) {
  return db
    .selectFrom('callback_log')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
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
