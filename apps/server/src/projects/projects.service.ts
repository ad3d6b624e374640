import type { Db } from '../db/database.js';
import type { ProjectsTable, WebsitesTable } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/random.js';
import type { Lookups } from '../lookups/lookups.js';
import { DEFAULT_ROTATION_GRACE_HOURS, newApiKey } from './api-key.js';
import { requireHostProject } from './project-access.js';
import {
  insertProject,
  insertWebsite,
  listProjects,
  listWebsites,
  updateProjectKeys,
} from './projects.repository.js';
import { parseWebsiteUrl } from './website-url.js';

export type WebsiteView = { id: string; name: string; url: string; createdAt: string };
export type ProjectView = {
  id: string;
  name: string;
  apiKey: string;
  previousKeyExpiresAt: string | null;
  createdAt: string;
};

const iso = (ms: number) => new Date(ms).toISOString();

export const toWebsiteView = (w: WebsitesTable): WebsiteView => ({
  id: w.id,
  name: w.name,
  url: w.url,
  createdAt: iso(w.created_at),
});

const toProjectView = (p: ProjectsTable, now: number): ProjectView => ({
  id: p.id,
  name: p.name,
  apiKey: p.api_key,
  previousKeyExpiresAt:
    p.previous_key_expires_at && p.previous_key_expires_at > now ? iso(p.previous_key_expires_at) : null,
  createdAt: iso(p.created_at),
});

export class ProjectsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
  ) {}

  async create(hostId: string, name: string): Promise<ProjectView> {
    const project: ProjectsTable = {
      id: newId('prj'),
      host_id: hostId,
      name: name.trim(),
      api_key: newApiKey(),
      previous_api_key: null,
      previous_key_expires_at: null,
      created_at: this.clock(),
    };
    await insertProject(this.db, project);
    return toProjectView(project, this.clock());
  }

  async list(hostId: string): Promise<ProjectView[]> {
    const now = this.clock();
    return (await listProjects(this.db, hostId)).map((p) => toProjectView(p, now));
  }

  async get(hostId: string, projectId: string): Promise<ProjectView & { websites: WebsiteView[] }> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const websites = await listWebsites(this.db, project.id);
    return { ...toProjectView(project, this.clock()), websites: websites.map(toWebsiteView) };
  }

  /** A leaked key must be replaceable; the old one keeps verifying for `graceHours` so live sites can switch. */
  async rotateKey(
    hostId: string,
    projectId: string,
    graceHours = DEFAULT_ROTATION_GRACE_HOURS,
  ): Promise<ProjectView> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const now = this.clock();
    const rotated = {
      api_key: newApiKey(),
      previous_api_key: graceHours > 0 ? project.api_key : null,
      previous_key_expires_at: graceHours > 0 ? now + graceHours * 3_600_000 : null,
    };
    await updateProjectKeys(this.db, hostId, projectId, rotated);
    await this.lookups.forgetProjectKeys(projectId);
    return toProjectView({ ...project, ...rotated }, now);
  }

  async addWebsite(hostId: string, projectId: string, name: string, url: string): Promise<WebsiteView> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const parsed = parseWebsiteUrl(url);
    if ('error' in parsed) throw new AppError('invalid_request', parsed.error);
    const website: WebsitesTable = {
      id: newId('web'),
      project_id: project.id,
      name: name.trim(),
      url: parsed.url,
      origin: parsed.origin,
      created_at: this.clock(),
    };
    await insertWebsite(this.db, website);
    await this.lookups.forgetOrigins();
    return toWebsiteView(website);
  }
}
