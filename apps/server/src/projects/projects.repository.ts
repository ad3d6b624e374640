import type { Db } from '../db/database.js';
import type { ProjectsTable, WebsitesTable } from '../db/schema.js';

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

export async function updateProjectKeys(
  db: Db,
  hostId: string,
  projectId: string,
  keys: Pick<ProjectsTable, 'api_key' | 'previous_api_key' | 'previous_key_expires_at'>,
): Promise<void> {
  await db
    .updateTable('projects')
    .set(keys)
    .where('id', '=', projectId)
    .where('host_id', '=', hostId)
    .execute();
}

export async function updateSignatureVersion(
  db: Db,
  hostId: string,
  projectId: string,
  version: ProjectsTable['signature_version'],
): Promise<void> {
  await db
    .updateTable('projects')
    .set({ signature_version: version })
    .where('id', '=', projectId)
    .where('host_id', '=', hostId)
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
    .executeTakeFirst();
}
