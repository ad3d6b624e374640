import type { ProjectPatch, SignatureVersion } from '@proofdrop/contract';
import type { Db } from '../db/database.js';
import type { ProjectsTable, WebsitesTable } from '../db/schema.js';
import { AppError, notFound, rotatedMeanwhile } from '../errors.js';
import { listGiveawaysUsingWebsite } from '../giveaways/giveaways.repository.js';
import { giveawayPhase } from '../giveaways/lifecycle.js';
import { type Clock, DAY_MS, hoursAfter } from '../lib/clock.js';
import { newId } from '../lib/random.js';
import type { LiveEvents } from '../live/live-events.js';
import type { Lookups } from '../lookups/lookups.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { DEFAULT_ROTATION_GRACE_HOURS, newApiKey } from './api-key.js';
import { requireHostProject } from './project-access.js';
import {
  deleteProject,
  findWebsite,
  insertProject,
  insertWebsite,
  listProjects,
  listWebsites,
  lockWebsiteForRemoval,
  updateProject,
  updateProjectKeys,
  updateWebsite,
} from './projects.repository.js';
import { parseTaskLink } from './website-url.js';

/** How far back the project page looks for callbacks signed in a web page. */
const KEY_IN_PAGE_DAYS = 7;

export type KeyInPage = { page: string; lastAt: string };
export type WebsiteView = { id: string; name: string; url: string; createdAt: string };
export type ProjectView = {
  id: string;
  name: string;
  apiKey: string;
  previousKeyExpiresAt: string | null;
  signatureVersion: SignatureVersion;
  createdAt: string;
};

const iso = (ms: number) => new Date(ms).toISOString();

export const toWebsiteView = (w: WebsitesTable): WebsiteView => ({
  id: w.id,
  name: w.name,
  url: w.url,
  createdAt: iso(w.created_at),
});

const toProjectView = (p: ProjectsTable, apiKey: string, now: number): ProjectView => ({
  id: p.id,
  name: p.name,
  apiKey,
  previousKeyExpiresAt:
    p.previous_key_expires_at && p.previous_key_expires_at > now ? iso(p.previous_key_expires_at) : null,
  signatureVersion: p.signature_version,
  createdAt: iso(p.created_at),
});

export class ProjectsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
    private readonly box: SecretBox,
    private readonly live: Pick<LiveEvents<{ id: number }>, 'revoked'>,
  ) {}

  async create(hostId: string, name: string): Promise<ProjectView> {
    const apiKey = newApiKey();
    const project: ProjectsTable = {
      id: newId('prj'),
      host_id: hostId,
      name: name.trim(),
      api_key: this.box.seal(apiKey),
      previous_api_key: null,
      previous_key_expires_at: null,
      created_at: this.clock(),
      signature_version: 'v1',
      key_in_page_origin: null,
      key_in_page_at: null,
    };
    await insertProject(this.db, project);
    return toProjectView(project, apiKey, this.clock());
  }

  async list(hostId: string): Promise<ProjectView[]> {
    const now = this.clock();
    return (await listProjects(this.db, hostId)).map((p) => toProjectView(p, this.box.open(p.api_key), now));
  }

  async get(
    hostId: string,
    projectId: string,
  ): Promise<ProjectView & { websites: WebsiteView[]; keyInPage: KeyInPage | null }> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const websites = await listWebsites(this.db, project.id);
    const now = this.clock();
    const { key_in_page_origin: page, key_in_page_at: at } = project;
    return {
      ...toProjectView(project, this.box.open(project.api_key), now),
      websites: websites.map(toWebsiteView),
      keyInPage:
        page !== null && at !== null && at > now - KEY_IN_PAGE_DAYS * DAY_MS
          ? { page, lastAt: new Date(at).toISOString() }
          : null,
    };
  }

  /** A leaked key must be replaceable; the old one keeps verifying for `graceHours` so live sites can switch. */
  async rotateKey(
    hostId: string,
    projectId: string,
    graceHours = DEFAULT_ROTATION_GRACE_HOURS,
  ): Promise<ProjectView> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const now = this.clock();
    const apiKey = newApiKey();
    const rotated = {
      api_key: this.box.seal(apiKey),
      // Still sealed as read: it moves from one column to the other.
      previous_api_key: graceHours > 0 ? project.api_key : null,
      previous_key_expires_at: graceHours > 0 ? hoursAfter(now, graceHours) : null,
    };
    if (!(await updateProjectKeys(this.db, hostId, projectId, project.api_key, rotated))) {
      throw rotatedMeanwhile('key');
    }
    await this.lookups.forgetProjectKeys(projectId);
    return toProjectView({ ...project, ...rotated }, apiKey, now);
  }

  async addWebsite(hostId: string, projectId: string, name: string, url: string): Promise<WebsiteView> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const parsed = parseTaskLink(url);
    if ('error' in parsed) throw urlRefusal(parsed.error);
    const website: WebsitesTable = {
      id: newId('web'),
      project_id: project.id,
      name: name.trim(),
      url: parsed.url,
      origin: parsed.origin,
      created_at: this.clock(),
      removed_at: null,
    };
    await insertWebsite(this.db, website);
    await this.lookups.forgetWebsites();
    return toWebsiteView(website);
  }

  /**
   * A rename, and/or the signature version: v2 makes every callback carry a signed, fresh ts, from the next
   * callback on, in every process.
   */
  async update(hostId: string, projectId: string, patch: ProjectPatch): Promise<ProjectView> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const changes = {
      ...(patch.name === undefined ? {} : { name: patch.name.trim() }),
      ...(patch.signatureVersion === undefined ? {} : { signature_version: patch.signatureVersion }),
    };
    await updateProject(this.db, hostId, project.id, changes);
    if (patch.signatureVersion !== undefined) await this.lookups.forgetProjectKeys(project.id);
    return toProjectView({ ...project, ...changes }, this.box.open(project.api_key), this.clock());
  }

  /** Refused while a giveaway is published and not over: its participants' tasks would vanish mid-way. */
  async delete(hostId: string, projectId: string): Promise<void> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const now = this.clock();
    const running = await deleteProject(this.db, hostId, project.id, (giveaways) =>
      giveaways.find((g) => ['live', 'scheduled'].includes(giveawayPhase(g, now))),
    );
    if (running) {
      throw new AppError(
        'invalid_state',
        `the giveaway "${running.title}" is ${giveawayPhase(running, now)}: end it before deleting the project`,
      );
    }
    await this.live.revoked('project', project.id);
    await this.lookups.forgetProjectKeys(project.id);
    await this.lookups.forgetWebsites();
  }

  async editWebsite(
    hostId: string,
    projectId: string,
    websiteId: string,
    changes: { name?: string | undefined; url?: string | undefined },
  ): Promise<WebsiteView> {
    const website = await this.requireWebsite(hostId, projectId, websiteId);
    const edited = { ...website };
    if (changes.name !== undefined) edited.name = changes.name.trim();
    if (changes.url !== undefined) {
      const parsed = parseTaskLink(changes.url);
      if ('error' in parsed) throw urlRefusal(parsed.error);
      edited.url = parsed.url;
      edited.origin = parsed.origin;
    }
    await updateWebsite(this.db, website.project_id, website.id, {
      name: edited.name,
      url: edited.url,
      origin: edited.origin,
    });
    await this.lookups.forgetWebsites();
    return toWebsiteView(edited);
  }

  /**
   * Refused while a draft or a running giveaway has tasks on it. Once only finished giveaways used it, it is
   * hidden rather than erased, so their records still name it.
   */
  async removeWebsite(hostId: string, projectId: string, websiteId: string): Promise<void> {
    const website = await this.requireWebsite(hostId, projectId, websiteId);
    const now = this.clock();
    // One transaction, the website locked first: a giveaway saving tasks on it meanwhile is either seen
    // here or refused there (tasksWebsitesRemain).
    await this.db.transaction().execute(async (tx) => {
      await lockWebsiteForRemoval(tx, website.id);
      for (const giveaway of await listGiveawaysUsingWebsite(tx, website.id)) {
        const phase = giveawayPhase(giveaway, now);
        if (phase === 'draft') {
          throw new AppError(
            'invalid_state',
            `the draft "${giveaway.title}" has tasks on this website: remove them from the draft first`,
          );
        }
        if (phase === 'live' || phase === 'scheduled') {
          throw new AppError(
            'invalid_state',
            `the ${phase} giveaway "${giveaway.title}" has tasks on this website: end it first`,
          );
        }
      }
      await updateWebsite(tx, website.project_id, website.id, { removed_at: now });
    });
    await this.lookups.forgetWebsites();
  }

  private async requireWebsite(hostId: string, projectId: string, websiteId: string): Promise<WebsitesTable> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const website = await findWebsite(this.db, project.id, websiteId);
    if (!website) throw notFound('website');
    return website;
  }
}

/** A website link refused: every reason starts with the field's name, so it is the field's message too. */
function urlRefusal(message: string): AppError {
  return new AppError('invalid_request', message, undefined, [{ field: 'url', message }]);
}
