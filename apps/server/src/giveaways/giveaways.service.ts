import type {
  Giveaway,
  GiveawayInput,
  GiveawayWithStats,
  Prize,
  PublicGiveaway,
  Task,
} from '@proofdrop/contract';
import type { Db } from '../db/database.js';
import type { GiveawaysTable, TasksTable } from '../db/schema.js';
import type { DrawsService } from '../draws/draws.service.js';
import { AppError } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { newId, randomAlphanumeric } from '../lib/random.js';
import type { Lookups } from '../lookups/lookups.js';
import { requireHostProject } from '../projects/project-access.js';
import { listWebsites } from '../projects/projects.repository.js';
import { requireHostGiveaway, requirePublishedGiveaway } from './giveaway-access.js';
import { checkGiveawayDraft, slugify } from './giveaway-draft.js';
import {
  countEntries,
  insertGiveaway,
  listProjectGiveaways,
  listTasks,
  updateGiveawayStatus,
} from './giveaways.repository.js';
import { giveawayPhase } from './lifecycle.js';

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const toTaskView = (t: TasksTable): Task => ({
  id: t.id,
  websiteId: t.website_id,
  event: t.event,
  name: t.name,
  requiredAmount: t.required_amount,
});

export class GiveawaysService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
    private readonly draws: DrawsService,
  ) {}

  async create(hostId: string, projectId: string, input: GiveawayInput): Promise<Giveaway> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const websites = await listWebsites(this.db, project.id);
    const now = this.clock();
    const draft = checkGiveawayDraft(input, new Set(websites.map((w) => w.id)), now);
    if ('code' in draft) throw new AppError(draft.code, draft.message);

    const giveaway: GiveawaysTable = {
      id: newId('gw'),
      project_id: project.id,
      slug: `${slugify(draft.title)}-${randomAlphanumeric(8).toLowerCase()}`,
      title: draft.title,
      description: draft.description,
      starts_at: draft.startsAt,
      ends_at: draft.endsAt,
      winner_mode: draft.winnerMode,
      winner_count: draft.winnerCount,
      prizes: JSON.stringify(draft.prizes),
      status: 'draft',
      published_at: null,
      ended_at: null,
      created_at: now,
    };
    const tasks: TasksTable[] = draft.tasks.map((t, position) => ({
      id: newId('task'),
      giveaway_id: giveaway.id,
      website_id: t.websiteId,
      event: t.event,
      name: t.name,
      required_amount: t.requiredAmount,
      position,
    }));
    await insertGiveaway(this.db, giveaway, tasks);
    return this.view(giveaway, tasks);
  }

  async list(hostId: string, projectId: string): Promise<Giveaway[]> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const giveaways = await listProjectGiveaways(this.db, project.id);
    return Promise.all(giveaways.map(async (g) => this.view(g, await listTasks(this.db, g.id))));
  }

  async get(hostId: string, giveawayId: string): Promise<GiveawayWithStats> {
    const giveaway = await requireHostGiveaway(this.db, hostId, giveawayId);
    const [tasks, stats] = await Promise.all([
      listTasks(this.db, giveaway.id),
      countEntries(this.db, giveaway.id),
    ]);
    return { ...this.view(giveaway, tasks), stats };
  }

  async getPublic(slug: string): Promise<PublicGiveaway> {
    const giveaway = await requirePublishedGiveaway(this.db, slug);
    const {
      id: _id,
      projectId: _p,
      createdAt: _c,
      publishedAt: _pub,
      ...rest
    } = this.view(giveaway, await listTasks(this.db, giveaway.id));
    return rest;
  }

  /** Publishing commits the draw's secret seed; `beacon` also mixes a drand round into the draw. */
  async publish(hostId: string, giveawayId: string, beacon = false): Promise<GiveawayWithStats> {
    const giveaway = await requireHostGiveaway(this.db, hostId, giveawayId);
    const now = this.clock();
    if (giveaway.status !== 'draft')
      throw new AppError('invalid_state', `the giveaway is already ${giveawayPhase(giveaway, now)}`);
    if (giveaway.ends_at !== null && giveaway.ends_at <= now) {
      throw new AppError('invalid_state', 'endsAt has passed: a giveaway that is over cannot be published');
    }
    await this.draws.commit(giveaway.id, beacon).catch(() => {
      throw new AppError('invalid_state', 'the giveaway is already published');
    });
    await this.transition(giveaway.id, ['draft'], { status: 'live', published_at: now });
    return this.get(hostId, giveawayId);
  }

  /** Ends a giveaway early, or records the end of one whose endsAt has passed. */
  async end(hostId: string, giveawayId: string): Promise<GiveawayWithStats> {
    const giveaway = await requireHostGiveaway(this.db, hostId, giveawayId);
    const now = this.clock();
    const phase = giveawayPhase(giveaway, now);
    if (phase === 'draft') throw new AppError('invalid_state', 'the giveaway is not published yet');
    if (phase === 'drawn' || giveaway.status === 'ended') {
      throw new AppError('invalid_state', `the giveaway is already ${phase}`);
    }
    const endedAt = giveaway.ends_at !== null && giveaway.ends_at <= now ? giveaway.ends_at : now;
    await this.transition(giveaway.id, ['live'], { status: 'ended', ended_at: endedAt });
    await this.draws.freezeIfEnded(await requireHostGiveaway(this.db, hostId, giveawayId));
    return this.get(hostId, giveawayId);
  }

  private async transition(
    giveawayId: string,
    from: GiveawaysTable['status'][],
    changes: Parameters<typeof updateGiveawayStatus>[3],
  ): Promise<void> {
    const changed = await updateGiveawayStatus(this.db, giveawayId, from, changes);
    await this.lookups.forgetSchedule(giveawayId);
    if (!changed) throw new AppError('invalid_state', 'the giveaway changed meanwhile; reload and try again');
  }

  private view(g: GiveawaysTable, tasks: TasksTable[]): Giveaway {
    return {
      id: g.id,
      projectId: g.project_id,
      slug: g.slug,
      title: g.title,
      description: g.description,
      startsAt: isoOrNull(g.starts_at),
      endsAt: isoOrNull(g.ends_at),
      winnerMode: g.winner_mode,
      winnerCount: g.winner_count,
      prizes: JSON.parse(g.prizes) as Prize[],
      status: giveawayPhase(g, this.clock()),
      publishedAt: isoOrNull(g.published_at),
      endedAt: isoOrNull(g.ended_at),
      createdAt: new Date(g.created_at).toISOString(),
      tasks: tasks.map(toTaskView),
    };
  }
}
