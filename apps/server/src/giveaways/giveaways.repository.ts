import type { Db } from '../db/database.js';
import type { GiveawaysTable, TasksTable } from '../db/schema.js';
import { tasksWebsitesRemain } from '../projects/projects.repository.js';

/** Inserts a giveaway with its tasks; false, and nothing written, when one of their websites was removed. */
export async function insertGiveaway(
  db: Db,
  giveaway: GiveawaysTable,
  tasks: TasksTable[],
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    if (!(await tasksWebsitesRemain(tx, giveaway.project_id, tasks))) return false;
    await tx.insertInto('giveaways').values(giveaway).execute();
    if (tasks.length > 0) await tx.insertInto('tasks').values(tasks).execute();
    return true;
  });
}

export type DraftRow = Pick<
  GiveawaysTable,
  'title' | 'description' | 'starts_at' | 'ends_at' | 'winner_mode' | 'winner_count' | 'prizes'
>;

/**
 * Rewrites a draft, its tasks replaced when given: `not_draft` when it is no longer a draft,
 * `website_removed` when a website of the new tasks was removed meanwhile; nothing is written then.
 */
export async function updateDraft(
  db: Db,
  draft: Pick<GiveawaysTable, 'id' | 'project_id'>,
  fields: DraftRow,
  tasks: TasksTable[] | undefined,
): Promise<'updated' | 'not_draft' | 'website_removed'> {
  return db.transaction().execute(async (tx) => {
    if (tasks && !(await tasksWebsitesRemain(tx, draft.project_id, tasks))) return 'website_removed';
    const result = await tx
      .updateTable('giveaways')
      .set(fields)
      .where('id', '=', draft.id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return 'not_draft';
    if (tasks) {
      await tx.deleteFrom('tasks').where('giveaway_id', '=', draft.id).execute();
      if (tasks.length > 0) await tx.insertInto('tasks').values(tasks).execute();
    }
    return 'updated';
  });
}

/** The few fields a published giveaway may change; false when it is no longer live. */
export async function updatePublished(
  db: Db,
  giveawayId: string,
  fields: Partial<Pick<GiveawaysTable, 'title' | 'description' | 'ends_at'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('giveaways')
    .set(fields)
    .where('id', '=', giveawayId)
    .where('status', '=', 'live')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Only a draft: a published giveaway has entries and a committed draw. */
export async function deleteDraft(db: Db, giveawayId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('giveaways')
    .where('id', '=', giveawayId)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** A host's giveaway: joined through its project, so another host's id finds nothing. */
export function findHostGiveaway(db: Db, hostId: string, giveawayId: string) {
  return db
    .selectFrom('giveaways')
    .innerJoin('projects', 'projects.id', 'giveaways.project_id')
    .selectAll('giveaways')
    .where('giveaways.id', '=', giveawayId)
    .where('projects.host_id', '=', hostId)
    .executeTakeFirst();
}

export function findGiveawayBySlug(db: Db, slug: string) {
  return db.selectFrom('giveaways').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function listProjectGiveaways(db: Db, projectId: string) {
  return db
    .selectFrom('giveaways')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export function listTasks(db: Db, giveawayId: string) {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('giveaway_id', '=', giveawayId)
    .orderBy('position')
    .execute();
}

export async function updateGiveawayStatus(
  db: Db,
  giveawayId: string,
  from: GiveawaysTable['status'][],
  changes: Partial<Pick<GiveawaysTable, 'status' | 'published_at' | 'ended_at'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('giveaways')
    .set(changes)
    .where('id', '=', giveawayId)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countEntries(
  db: Db,
  giveawayId: string,
): Promise<{ entries: number; eligible: number }> {
  const row = await db
    .selectFrom('participants')
    .select((eb) => [
      eb.fn.countAll<number>().as('entries'),
      eb.fn.count<number>('eligible_at').as('eligible'),
    ])
    .where('giveaway_id', '=', giveawayId)
    .executeTakeFirstOrThrow();
  return { entries: Number(row.entries), eligible: Number(row.eligible) };
}

/** The giveaways with a task on this website, each once. */
export function listGiveawaysUsingWebsite(db: Db, websiteId: string) {
  return db
    .selectFrom('giveaways')
    .selectAll('giveaways')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('tasks')
          .select('tasks.id')
          .whereRef('tasks.giveaway_id', '=', 'giveaways.id')
          .where('tasks.website_id', '=', websiteId),
      ),
    )
    .orderBy('giveaways.created_at')
    .execute();
}
