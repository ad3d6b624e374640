import { type Db, isPostgres } from '../db/database.js';
import type { GiveawaysTable, ProjectsTable, WebsitesTable } from '../db/schema.js';

export async function insertProject(db: Db, project: ProjectsTable): Promise<void> {
  await db.insertInto('projects').values(project).execute();
}

export function listProjects(db: Db, hostId: string) {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('host_id', '=', hostId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findProject(db: Db, hostId: string, projectId: string) {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('id', '=', projectId)
    .where('host_id', '=', hostId)
    .executeTakeFirst();
}

/** The project's keys, only while `replaced` is still its key: false when another rotation came first. */
export async function updateProjectKeys(
  db: Db,
  hostId: string,
  projectId: string,
  replaced: string,
  keys: Pick<ProjectsTable, 'api_key' | 'previous_api_key' | 'previous_key_expires_at'>,
): Promise<boolean> {
  const result = await db
    .updateTable('projects')
    // A new key is in no page yet.
    .set({ ...keys, key_in_page_origin: null, key_in_page_at: null })
    .where('id', '=', projectId)
    .where('host_id', '=', hostId)
    .where('api_key', '=', replaced)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The page a callback signed with the project's key was sent from, and when (page-signing.ts). */
export async function markKeyInPage(db: Db, projectId: string, page: string, at: number): Promise<void> {
  await db
    .updateTable('projects')
    .set({ key_in_page_origin: page, key_in_page_at: at })
    .where('id', '=', projectId)
    .execute();
}

export async function updateProject(
  db: Db,
  hostId: string,
  projectId: string,
  changes: Partial<Pick<ProjectsTable, 'name' | 'signature_version'>>,
): Promise<void> {
  await db
    .updateTable('projects')
    .set(changes)
    .where('id', '=', projectId)
    .where('host_id', '=', hostId)
    .execute();
}

/**
 * Deletes a project and what is in it, unless `keeps` names one of its giveaways that must stay (one still
 * running): that giveaway is returned, and nothing is deleted. Its giveaways are read after the project's
 * lock, so a publish that took the lock first is seen live.
 *
 * Track ids and giveaways go first: they point at its websites without cascading, and PostgreSQL checks
 * those references before every cascade of a single delete has run. The giveaways' tasks before the
 * giveaways: their progress rows then go by the task, the key they are stored under, where each
 * participant's cascade would scan every unit stored (on SQLite, over an hour for a project with 12,000
 * participants and a million units; ~4 s this way).
 */
export async function deleteProject(
  db: Db,
  hostId: string,
  projectId: string,
  keeps: (giveaways: GiveawaysTable[]) => GiveawaysTable | undefined,
): Promise<GiveawaysTable | undefined> {
  return db.transaction().execute(async (tx) => {
    // Locked first, as a save of giveaways in it locks it (projectRemains): one waits for the other.
    const project = tx
      .selectFrom('projects')
      .select('id')
      .where('id', '=', projectId)
      .where('host_id', '=', hostId);
    const owned = await (isPostgres(tx) ? project.forUpdate() : project).executeTakeFirst();
    if (!owned) return undefined;
    const kept = keeps(
      await tx.selectFrom('giveaways').selectAll().where('project_id', '=', projectId).execute(),
    );
    if (kept) return kept;
    await tx.deleteFrom('track_ids').where('project_id', '=', projectId).execute();
    const giveaways = tx.selectFrom('giveaways').select('id').where('project_id', '=', projectId);
    await tx.deleteFrom('tasks').where('giveaway_id', 'in', giveaways).execute();
    await tx.deleteFrom('giveaways').where('project_id', '=', projectId).execute();
    await tx.deleteFrom('projects').where('id', '=', projectId).execute();
    return undefined;
  });
}

/** The other projects of this project's host, oldest first, at most `limit`. */
export function listSiblingProjects(db: Db, projectId: string, limit: number) {
  const host = db.selectFrom('projects').select('host_id').where('id', '=', projectId);
  return db
    .selectFrom('projects')
    .select(['id', 'name'])
    .where('host_id', '=', host)
    .where('id', '!=', projectId)
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

export async function insertWebsite(db: Db, website: WebsitesTable): Promise<void> {
  await db.insertInto('websites').values(website).execute();
}

export function listWebsites(db: Db, projectId: string) {
  return db
    .selectFrom('websites')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('removed_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findWebsite(db: Db, projectId: string, websiteId: string) {
  return db
    .selectFrom('websites')
    .selectAll()
    .where('id', '=', websiteId)
    .where('project_id', '=', projectId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
}

export async function updateWebsite(
  db: Db,
  projectId: string,
  websiteId: string,
  changes: Partial<Pick<WebsitesTable, 'name' | 'url' | 'origin' | 'removed_at'>>,
): Promise<void> {
  await db
    .updateTable('websites')
    .set(changes)
    .where('id', '=', websiteId)
    .where('project_id', '=', projectId)
    .execute();
}

/**
 * Whether the project is still there, share-locked until the transaction ends on PostgreSQL: a save of a
 * giveaway takes it first, so the project's deletion waits for the save and then deletes what it wrote, or
 * went first and the save finds the project gone (rather than failing on its foreign key).
 */
export async function projectRemains(tx: Db, projectId: string): Promise<boolean> {
  const query = tx.selectFrom('projects').select('id').where('id', '=', projectId);
  return (await (isPostgres(tx) ? query.forShare() : query).executeTakeFirst()) !== undefined;
}

/**
 * Whether every website of `tasks` is still one of the project's, checked inside the transaction that
 * writes them, after its writes. On PostgreSQL their rows stay share-locked until it ends, so a removal
 * racing it waits and then sees the tasks, or went first and is seen here (see `lockWebsiteForRemoval`).
 */
export async function tasksWebsitesRemain(
  tx: Db,
  projectId: string,
  tasks: readonly { website_id: string }[],
): Promise<boolean> {
  const ids = [...new Set(tasks.map((t) => t.website_id))];
  if (ids.length === 0) return true;
  const query = tx
    .selectFrom('websites')
    .select('id')
    .where('project_id', '=', projectId)
    .where('id', 'in', ids)
    .where('removed_at', 'is', null);
  const found = await (isPostgres(tx) ? query.forShare() : query).execute();
  return found.length === ids.length;
}

/**
 * Holds off new tasks on a website until the transaction that removes it ends (PostgreSQL). Not a key
 * lock: track_ids being written on the website meanwhile (they refer to it by key) need not wait.
 */
export async function lockWebsiteForRemoval(tx: Db, websiteId: string): Promise<void> {
  if (isPostgres(tx)) {
    await tx.selectFrom('websites').select('id').where('id', '=', websiteId).forNoKeyUpdate().execute();
  }
}
