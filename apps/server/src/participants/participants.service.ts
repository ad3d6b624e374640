import type { EntriesPage } from '@proofdrop/contract';
import { trackedUrl } from '@proofdrop/protocol';
import type { Db } from '../db/database.js';
import type { GiveawaysTable, ParticipantsTable } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import { requireHostGiveaway, requirePublishedGiveaway } from '../giveaways/giveaway-access.js';
import { listTasks } from '../giveaways/giveaways.repository.js';
import { giveawayPhase, notLiveReason, type Schedule } from '../giveaways/lifecycle.js';
import { isComplete, isEligible } from '../giveaways/progress.js';
import type { Clock } from '../lib/clock.js';
import { normaliseEmail } from '../lib/email.js';
import { hashToken, newId, randomToken } from '../lib/random.js';
import type { Lookups, ParticipantRef, TaskFacts } from '../lookups/lookups.js';
import { enqueueWebhook } from '../webhooks/webhooks.repository.js';
import type { WriteQueue } from '../writer/ports.js';
import { insertParticipant, listParticipantProgress, searchParticipants } from './participants.repository.js';
import { entryRows, exportRows, winnerRanks } from './participants-export.js';
import { newTrackId } from './track-id.js';

export type Entry = { participantId: string; token: string; giveawayId: string };
export type TaskProgressView = {
  taskId: string;
  event: string;
  name: string;
  requiredAmount: number;
  count: number;
  completed: boolean;
};
export type MyEntry = { participantId: string; eligible: boolean; tasks: TaskProgressView[] };

export class ParticipantsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
    private readonly writer: WriteQueue,
  ) {}

  async join(slug: string, email: string): Promise<Entry> {
    const giveaway = await requirePublishedGiveaway(this.db, slug);
    const now = this.clock();
    this.requireLive(giveaway, now);
    const tasks = await listTasks(this.db, giveaway.id);
    const token = `pdp_${randomToken(32)}`;
    const participant: ParticipantsTable = {
      id: newId('pt'),
      giveaway_id: giveaway.id,
      email: normaliseEmail(email),
      token_hash: hashToken(token),
      created_at: now,
      eligible_at: tasks.length === 0 ? now : null,
    };
    // Without email verification, handing the existing entry to whoever types its email would let anyone
    // take over someone else's entry: a second join with the same email is refused instead.
    const inserted = await this.db.transaction().execute(async (tx) => {
      if (!(await insertParticipant(tx, participant))) return false;
      const ids = { giveawayId: giveaway.id, participantId: participant.id };
      await enqueueWebhook(tx, giveaway.project_id, 'participant.joined', now, {
        ...ids,
        email: participant.email,
      });
      if (participant.eligible_at !== null) {
        await enqueueWebhook(tx, giveaway.project_id, 'participant.eligible', now, {
          ...ids,
          eligibleAt: new Date(now).toISOString(),
        });
      }
      return true;
    });
    if (!inserted) throw new AppError('already_entered', 'this email has already entered this giveaway');
    return { participantId: participant.id, token, giveawayId: giveaway.id };
  }

  participantForToken(token: string): Promise<ParticipantRef | undefined> {
    return this.lookups.participantByToken(token);
  }

  giveawayForSlug(slug: string): Promise<GiveawaysTable> {
    return requirePublishedGiveaway(this.db, slug);
  }

  async me(participant: ParticipantRef): Promise<MyEntry> {
    const rows = await listParticipantProgress(this.db, participant.giveawayId, participant.id);
    const tasks = rows.map((r) => {
      const progress = {
        requiredAmount: r.required_amount,
        count: Math.min(r.count ?? 0, r.required_amount),
      };
      return {
        taskId: r.id,
        event: r.event,
        name: r.name,
        requiredAmount: r.required_amount,
        count: progress.count,
        completed: isComplete(progress),
      };
    });
    return { participantId: participant.id, eligible: isEligible(tasks), tasks };
  }

  /** The task's track link for this participant: the website's link carrying their track_id. */
  async visit(taskId: string, participant: ParticipantRef): Promise<{ trackId: string; url: string }> {
    const task = await this.lookups.task(taskId);
    const schedule = task && (await this.lookups.schedule(task.giveawayId));
    if (!task || !schedule || task.giveawayId !== participant.giveawayId) throw notFound('task');
    const now = this.clock();
    this.requireLive(schedule, now);
    const trackId =
      (await this.lookups.trackIdOf(participant.id, task.websiteId)) ??
      (await this.createTrackId(task, participant, now));
    return { trackId, url: trackedUrl(task.url, trackId, task.event) };
  }

  async giveawayOfTask(taskId: string): Promise<string | undefined> {
    return (await this.lookups.task(taskId))?.giveawayId;
  }

  /** The giveaway's entries (or its winners alone) as a stream of rows, for the host's exports. */
  /** The dashboard's list: a page of entries, optionally those whose email contains `search`. */
  async search(
    hostId: string,
    giveawayId: string,
    query: { search: string; offset: number; limit: number },
  ): Promise<EntriesPage> {
    const giveaway = await requireHostGiveaway(this.db, hostId, giveawayId);
    const [tasks, ranks, page] = await Promise.all([
      listTasks(this.db, giveaway.id),
      winnerRanks(this.db, giveaway.id),
      searchParticipants(this.db, giveaway.id, query.search, query.offset, query.limit),
    ]);
    return { entries: await entryRows(this.db, tasks, ranks, page.rows), total: page.total };
  }

  async export(hostId: string, giveawayId: string, onlyWinners: boolean) {
    const giveaway = await requireHostGiveaway(this.db, hostId, giveawayId);
    const tasks = await listTasks(this.db, giveaway.id);
    return { tasks, rows: exportRows(this.db, giveaway.id, tasks, onlyWinners) };
  }

  /** The first click on a website's task: the writer settles a race between two first clicks. */
  private async createTrackId(task: TaskFacts, participant: ParticipantRef, now: number): Promise<string> {
    const result = await this.writer.submit({
      kind: 'track',
      row: {
        track_id: newTrackId(),
        project_id: task.projectId,
        website_id: task.websiteId,
        giveaway_id: task.giveawayId,
        participant_id: participant.id,
        created_at: now,
      },
    });
    const trackId = (result as { trackId: string }).trackId;
    this.lookups.rememberTrackId(participant.id, task.websiteId, trackId);
    return trackId;
  }

  private requireLive(giveaway: Schedule, now: number): void {
    const phase = giveawayPhase(giveaway, now);
    if (phase !== 'live') throw new AppError('giveaway_not_live', notLiveReason(phase));
  }
}
