import type { Db } from '../db/database.js';
import type { GiveawayDrawsTable, GiveawaysTable, TasksTable } from '../db/schema.js';
import { entryListOpen, insertDraw } from '../draws/draws.repository.js';
import { projectRemains, tasksWebsitesRemain } from '../projects/projects.repository.js';

/** Undoes a save whose tasks' websites are gone: thrown inside its transaction, caught around it. */
class WebsiteRemoved extends Error {}

/**
 * Runs a save of a giveaway in one transaction: its project locked first, as the project's deletion locks
 * it, then the writes, then its tasks' websites checked. The order is the deletion's and the website
 * removal's, so none of them can wait on another in a circle (a deadlock on PostgreSQL).
 */
async function savingTasks<T>(
  db: Db,
  projectId: string,
  write: (tx: Db) => Promise<{ tasks: TasksTable[] | undefined; result: T }>,
): Promise<T | 'project_gone' | WebsiteRemoved> {
  try {
    return await db.transaction().execute(async (tx) => {
      if (!(await projectRemains(tx, projectId))) return 'project_gone' as const;
      const { tasks, result } = await write(tx);
      if (tasks && !(await tasksWebsitesRemain(tx, projectId, tasks))) throw new WebsiteRemoved();
      return result;
    });
  } catch (error) {
    if (error instanceof WebsiteRemoved) return error;
    throw error;
  }
}

/**
 * Inserts a giveaway with its tasks; nothing is written when its project was deleted (`project_gone`) or a
 * website of its tasks removed (`website_removed`) meanwhile.
 */
export async function insertGiveaway(
  db: Db,
  giveaway: GiveawaysTable,
  tasks: TasksTable[],
): Promise<'created' | 'project_gone' | 'website_removed'> {
  const saved = await savingTasks(db, giveaway.project_id, async (tx) => {
    await tx.insertInto('giveaways').values(giveaway).execute();
    if (tasks.length > 0) await tx.insertInto('tasks').values(tasks).execute();
    return { tasks, result: 'created' as const };
  });
  return saved instanceof WebsiteRemoved ? 'website_removed' : saved;
}

export type DraftRow = Pick<
  GiveawaysTable,
  | 'title'
  | 'description'
  | 'starts_at'
  | 'ends_at'
  | 'winner_mode'
  | 'winner_count'
  | 'prizes'
  | 'entry_challenge'
  | 'require_verified_email'
>;

/**
 * Rewrites a draft, its tasks replaced when given: `not_draft` when it is no longer a draft,
 * `project_gone` or `website_removed` when its project was deleted or a website of the new tasks removed
 * meanwhile; nothing is written then.
 */
export async function updateDraft(
  db: Db,
  draft: Pick<GiveawaysTable, 'id' | 'project_id'>,
  fields: DraftRow,
  tasks: TasksTable[] | undefined,
): Promise<'updated' | 'not_draft' | 'project_gone' | 'website_removed'> {
  const saved = await savingTasks(db, draft.project_id, async (tx) => {
    const result = await tx
      .updateTable('giveaways')
      .set(fields)
      .where('id', '=', draft.id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return { tasks: undefined, result: 'not_draft' as const };
    if (tasks) {
      await tx.deleteFrom('tasks').where('giveaway_id', '=', draft.id).execute();
      if (tasks.length > 0) await tx.insertInto('tasks').values(tasks).execute();
    }
    return { tasks, result: 'updated' as const };
  });
  return saved instanceof WebsiteRemoved ? 'website_removed' : saved;
}

/** Thrown inside a transaction to undo it. */
class ListFrozen extends Error {}

/**
 * The few fields a published giveaway may change, while it is still live at `now`: its end not passed and
 * its entry list not frozen. The giveaway's row is written first, then the draw's row read (share-locked on
 * PostgreSQL), the order a freeze takes them in: an end moved later either commits before a freeze reads
 * it, or sees the freeze and is undone. False when the giveaway changed meanwhile.
 */
export async function updatePublished(
  db: Db,
  giveawayId: string,
  fields: Partial<Pick<GiveawaysTable, 'title' | 'description' | 'ends_at'>>,
  now: number,
): Promise<boolean> {
  return db
    .transaction()
    .execute(async (tx) => {
      const result = await tx
        .updateTable('giveaways')
        .set(fields)
        .where('id', '=', giveawayId)
        .where('status', '=', 'live')
        .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      if (!(await entryListOpen(tx, giveawayId))) throw new ListFrozen();
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof ListFrozen) return false;
      throw error;
    });
}

/**
 * Publishes a draft with its draw's commitment, in one transaction: its project share-locked first, as a
 * save does, so the project's deletion waits for the publish and then finds the giveaway live, or went first
 * and the publish finds it gone. `not_draft`: published (or deleted as a draft) meanwhile.
 */
export async function publishDraft(
  db: Db,
  giveaway: GiveawaysTable,
  draw: GiveawayDrawsTable,
  publishedAt: number,
): Promise<'published' | 'gone' | 'not_draft'> {
  return db.transaction().execute(async (tx) => {
    if (!(await projectRemains(tx, giveaway.project_id))) return 'gone';
    const published = await updateGiveawayStatus(tx, giveaway.id, ['draft'], {
      status: 'live',
      published_at: publishedAt,
    });
    if (!published) {
      const remains = await tx
        .selectFrom('giveaways')
        .select('id')
        .where('id', '=', giveaway.id)
        .executeTakeFirst();
      return remains ? 'not_draft' : 'gone';
    }
    // A draw row a draft may hold from before publishing was one transaction (a crash between its two
    // writes) commits nothing yet: the new one replaces it.
    await tx.deleteFrom('giveaway_draws').where('giveaway_id', '=', giveaway.id).execute();
    await insertDraw(tx, draw);
    return 'published';
  });
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

/** The events of this website's tasks, in any of its project's giveaways, each once, in order. */
export async function listTaskEventsOfWebsite(db: Db, websiteId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('tasks')
    .select('event')
    .distinct()
    .where('website_id', '=', websiteId)
    .orderBy('event')
    .execute();
  return rows.map((row) => row.event);
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
