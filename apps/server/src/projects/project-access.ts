import type { Db } from '../db/database.js';
import type { ProjectsTable } from '../db/schema.js';
import { notFound } from '../errors.js';
import { findProject } from './projects.repository.js';

/** One of the host's own projects, for every feature that works inside one; another host's id is a 404. */
export async function requireHostProject(db: Db, hostId: string, projectId: string): Promise<ProjectsTable> {
  const project = await findProject(db, hostId, projectId);
  if (!project) throw notFound('project');
  return project;
}
