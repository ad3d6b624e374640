import type {
  CallbackLogEntry,
  Giveaway,
  GiveawayInput,
  GiveawayPatch,
  GiveawayWithStats,
  Prize,
  PublicGiveaway,
  Task,
} from '@proofdrop/contract';
import type { Db } from '../db/database.js';
import type { GiveawaysTable, TasksTable } from '../db/schema.js';
import type { DrawsService } from '../draws/draws.service.js';
import { AppError, notFound } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { newId, randomAlphanumeric } from '../lib/random.js';
import type { LiveEvents } from '../live/live-events.js';
import type { Lookups } from '../lookups/lookups.js';
import { requireHostProject } from '../projects/project-access.js';
import { listWebsites } from '../projects/projects.repository.js';
import { requireHostGiveaway, requirePublishedGiveaway } from './giveaway-access.js';
import { checkGiveawayDraft, type DraftProblem, type GiveawayDraft, slugify } from './giveaway-draft.js';
import { applyDraftPatch, checkPublishedEdit, type EditProblem, editableFields } from './giveaway-edit.js';
import {
  countEntries,
  deleteDraft,
  insertGiveaway,
  listProjectGiveaways,
  listTasks,
  publishDraft,
  updateDraft,
  updateGiveawayStatus,
  updatePublished,
} from './giveaways.repository.js';
import { endedAt, giveawayPhase, nextPhaseChange } from './lifecycle.js';

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
    private readonly live: LiveEvents<CallbackLogEntry>,
    /** Whether the server sends mail (SMTP_URL): verified emails and entry links need it. */
    private readonly mailEnabled: boolean,
  ) {}

  async create(hostId: string, projectId: string, input: GiveawayInput): Promise<Giveaway> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const websites = await listWebsites(this.db, project.id);
    const now = this.clock();
    const draft = checkGiveawayDraft(input, new Set(websites.map((w) => w.id)), now, this.mailEnabled);
    if ('code' in draft) throw refusal(draft);

    const giveaway: GiveawaysTable = {
      id: newId('gw'),
      project_id: project.id,
      slug: `${slugify(draft.title)}-${randomAlphanumeric(8).toLowerCase()}`,
      ...draftRow(draft),
      status: 'draft',
      published_at: null,
      ended_at: null,
      created_at: now,
    };
    const tasks = taskRows(giveaway.id, draft.tasks);
    const outcome = await insertGiveaway(this.db, giveaway, tasks);
    if (outcome === 'project_gone') throw notFound('project');
    if (outcome === 'website_removed') throw websiteRemovedMeanwhile();
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
    return (await this.publicState(slug)).giveaway;
  }

  /** The public answer, and when the clock alone changes its phase next (null: only the host can). */
  async publicState(slug: string): Promise<{ giveaway: PublicGiveaway; nextChangeAt: number | null }> {
    const giveaway = await requirePublishedGiveaway(this.db, slug);
    const now = this.clock();
    const {
      id: _id,
      projectId: _p,
      createdAt: _c,
      publishedAt: _pub,
      editable: _e,
      ...rest
    } = this.view(giveaway, await listTasks(this.db, giveaway.id), now);
    return { giveaway: rest, nextChangeAt: nextPhaseChange(giveaway, now) };
  }

  /** A draft changes freely (checked as a whole again); a running giveaway only as checkPublishedEdit allows. */
  async edit(hostId: string, giveawayId: string, patch: GiveawayPatch): Promise<GiveawayWithStats> {
    const giveaway = await requireHostGiveaway(this.db, hostId, giveawayId);
    const now = this.clock();
    const phase = giveawayPhase(giveaway, now);
    if (phase === 'draft') {
      const tasks = await listTasks(this.db, giveaway.id);
      const websites = await listWebsites(this.db, giveaway.project_id);
      const input = applyDraftPatch(draftInput(this.view(giveaway, tasks)), patch);
      // Checked when the edit turns verified emails on: a draft given them while the server still sent mail
      // keeps taking its other edits.
      const canSendMail = this.mailEnabled || patch.requireVerifiedEmail !== true;
      const draft = checkGiveawayDraft(input, new Set(websites.map((w) => w.id)), now, canSendMail);
      if ('code' in draft) throw refusal(draft);
      const outcome = await updateDraft(
        this.db,
        giveaway,
        draftRow(draft),
        patch.tasks ? taskRows(giveaway.id, draft.tasks) : undefined,
      );
      if (outcome === 'project_gone') throw notFound('giveaway');
      if (outcome === 'website_removed') throw websiteRemovedMeanwhile();
      if (outcome === 'not_draft') throw changedMeanwhile();
      if (patch.tasks) await this.lookups.forgetTasks();
      return this.get(hostId, giveawayId);
    }
    const edit = checkPublishedEdit(
      phase,
      { startsAt: giveaway.starts_at, endsAt: giveaway.ends_at },
      patch,
      now,
    );
    if ('code' in edit) throw refusal(edit);
    const changed = await updatePublished(
      this.db,
      giveaway.id,
      {
        ...(edit.title === undefined ? {} : { title: edit.title }),
        ...(edit.description === undefined ? {} : { description: edit.description }),
        ...(edit.endsAt === undefined ? {} : { ends_at: edit.endsAt }),
      },
      now,
    );
    if (edit.endsAt !== undefined) await this.lookups.forgetSchedule(giveaway.id);
    if (!changed) throw changedMeanwhile();
    await this.live.giveawayChanged(giveaway.id);
    return this.get(hostId, giveawayId);
  }

  async deleteDraft(hostId: string, giveawayId: string): Promise<void> {
    const giveaway = await requireHostGiveaway(this.db, hostId, giveawayId);
    if (giveaway.status !== 'draft' || !(await deleteDraft(this.db, giveaway.id))) {
      throw new AppError(
        'invalid_state',
        'only a draft can be deleted: a published giveaway has entries and a committed draw (End stops it)',
      );
    }
    await this.lookups.forgetTasks();
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
    if (beacon && giveaway.winner_mode === 'first_come') {
      throw new AppError(
        'unprocessable',
        'a first-come giveaway takes no drand beacon: its winners are the first entries to finish, and nothing is drawn at random',
      );
    }
    const published = await publishDraft(this.db, giveaway, this.draws.newDrawRow(giveaway.id, beacon), now);
    if (published === 'gone') throw notFound('giveaway');
    if (published === 'not_draft') throw new AppError('invalid_state', 'the giveaway is already published');
    await this.lookups.forgetSchedule(giveaway.id);
    await this.live.giveawayChanged(giveaway.id);
    return this.get(hostId, giveawayId);
  }

  /** Ends a giveaway early; one whose endsAt has passed ended then, and is refused like one ended by hand. */
  async end(hostId: string, giveawayId: string): Promise<GiveawayWithStats> {
    const giveaway = await requireHostGiveaway(this.db, hostId, giveawayId);
    const now = this.clock();
    const phase = giveawayPhase(giveaway, now);
    if (phase === 'draft') throw new AppError('invalid_state', 'the giveaway is not published yet');
    if (phase === 'ended' || phase === 'drawn') {
      throw new AppError('invalid_state', `the giveaway is already ${phase}`);
    }
    // Not after its endsAt, should that have come between the check and the write.
    const endedAt = Math.min(now, giveaway.ends_at ?? now);
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
    if (!changed) throw changedMeanwhile();
    await this.live.giveawayChanged(giveawayId);
  }

  private view(g: GiveawaysTable, tasks: TasksTable[], now = this.clock()): Giveaway {
    const phase = giveawayPhase(g, now);
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
      status: phase,
      publishedAt: isoOrNull(g.published_at),
      endedAt: isoOrNull(endedAt(g, phase)),
      createdAt: new Date(g.created_at).toISOString(),
      tasks: tasks.map(toTaskView),
      entryChallenge: g.entry_challenge,
      requireVerifiedEmail: g.require_verified_email === 1,
      mailsEntryLinks: this.mailEnabled,
      editable: editableFields(phase),
    };
  }
}

const changedMeanwhile = () =>
  new AppError('invalid_state', 'the giveaway changed meanwhile; reload and try again');

const websiteRemovedMeanwhile = () =>
  new AppError('invalid_state', "a task's website was removed meanwhile; reload and choose another");

/** A draft's or an edit's problem as the answer, with the field it names for the editor to show it beside. */
function refusal(problem: DraftProblem | EditProblem): AppError {
  const fields = 'fields' in problem ? problem.fields : problem.field ? [problem.field] : [];
  return new AppError(problem.code, problem.message, undefined, fields);
}

function taskRows(giveawayId: string, tasks: GiveawayDraft['tasks']): TasksTable[] {
  return tasks.map((t, position) => ({
    id: newId('task'),
    giveaway_id: giveawayId,
    website_id: t.websiteId,
    event: t.event,
    name: t.name,
    required_amount: t.requiredAmount,
    position,
  }));
}

function draftRow(draft: GiveawayDraft) {
  return {
    title: draft.title,
    description: draft.description,
    starts_at: draft.startsAt,
    ends_at: draft.endsAt,
    winner_mode: draft.winnerMode,
    winner_count: draft.winnerCount,
    prizes: JSON.stringify(draft.prizes),
    entry_challenge: draft.entryChallenge,
    require_verified_email: draft.requireVerifiedEmail ? 1 : 0,
  };
}

/** A stored draft as the input that made it, so a patch can be checked as a whole. */
function draftInput(view: Giveaway): GiveawayInput {
  return {
    title: view.title,
    description: view.description,
    startsAt: view.startsAt ?? undefined,
    endsAt: view.endsAt ?? undefined,
    winnerMode: view.winnerMode,
    winnerCount: view.winnerCount,
    prizes: view.prizes,
    tasks: view.tasks.map(({ websiteId, event, name, requiredAmount }) => ({
      websiteId,
      event,
      name,
      requiredAmount,
    })),
    entryChallenge: view.entryChallenge,
    requireVerifiedEmail: view.requireVerifiedEmail,
  };
}
