import type { Db } from '../db/database.js';
import type { GiveawaysTable, TasksTable } from '../db/schema.js';

export async function insertGiveaway(db: Db, giveaway: GiveawaysTable, tasks: TasksTable[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('giveaways').values(giveaway).execute();
    if (tasks.length > 0) await tx.insertInto('tasks').values(tasks).execute();
  });
}

export type DraftRow = Pick<
  GiveawaysTable,
  'title' | 'description' | 'starts_at' | 'ends_at' | 'winner_mode' | 'winner_count' | 'prizes'
>;

/** Rewrites a draft, its tasks replaced when given; false when it is no longer a draft. */
export async function updateDraft(
  db: Db,
  giveawayId: string,
  fields: DraftRow,
  tasks: TasksTable[] | undefined,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const result = await tx
      .updateTable('giveaways')
      .set(fields)
      .where('id', '=', giveawayId)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    if (tasks) {
      await tx.deleteFrom('tasks').where('giveaway_id', '=', giveawayId).execute();
      if (tasks.length > 0) await tx.insertInto('tasks').values(tasks).execute();
    }
    return true;
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
