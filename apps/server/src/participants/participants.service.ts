import type { EntriesPage } from '@proofdrop/contract';
import { withTrackId } from '@proofdrop/protocol';
import type { Db } from '../db/database.js';
import type { GiveawaysTable, ParticipantsTable } from '../db/schema.js';
import { entryListOpen } from '../draws/draws.repository.js';
import { AppError, notFound } from '../errors.js';
import { requireHostGiveaway, requirePublishedGiveaway } from '../giveaways/giveaway-access.js';
import { listTasks } from '../giveaways/giveaways.repository.js';
import { giveawayPhase, notLiveReason, type Schedule } from '../giveaways/lifecycle.js';
import { isComplete, isEligible } from '../giveaways/progress.js';
import type { Clock } from '../lib/clock.js';
import { normaliseEmail } from '../lib/email.js';
import { hashToken, newId, randomToken } from '../lib/random.js';
import { RateLimiter } from '../lib/rate-limit.js';
import type { Lookups, ParticipantRef, TaskFacts } from '../lookups/lookups.js';
import { enqueueMail } from '../mail/mail.repository.js';
import type { MailService } from '../mail/mail.service.js';
import { enqueueWebhook } from '../webhooks/webhooks.repository.js';
import type { WriteQueue } from '../writer/ports.js';
import type { EntryChallenges } from './entry-challenge.js';
import { queueEntryLink } from './entry-links.service.js';
import { networkBucket } from './network-bucket.js';
import {
  countEligibleBefore,
  findEntryState,
  findParticipantByEmail,
  insertParticipant,
  listParticipantProgress,
  searchParticipants,
  spendChallenge,
} from './participants.repository.js';
import { entryRows, exportRows, winnerStandings } from './participants-export.js';
import { newTrackId } from './track-id.js';

export type Entry = { participantId: string; token: string; giveawayId: string };
/** A new entry, or, for an address that entered a giveaway that verifies emails, a link mailed to it. */
export type JoinOutcome =
  | (Entry & { kind: 'entered'; verified: boolean })
  | { kind: 'mailed'; giveawayId: string };
export type JoinInput = { email: string; altcha?: string | undefined };

/** Thrown inside the join's transaction to undo it: the proof of work was spent by an earlier join. */
class SpentChallenge extends Error {}
export type TaskProgressView = {
  taskId: string;
  event: string;
  name: string;
  requiredAmount: number;
  count: number;
  completed: boolean;
};
export type MyEntry = {
  participantId: string;
  email: string;
  eligible: boolean;
  /** The address is proven by an emailed link. */
  verified: boolean;
  /** The giveaway counts the entry only once its address is proven. */
  verificationRequired: boolean;
  /** First come: the place in which the entry became eligible (1: first); null otherwise. */
  finishedRank: number | null;
  tasks: TaskProgressView[];
};

export class ParticipantsService {
  private readonly joinsPerAddress: RateLimiter;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
    private readonly writer: WriteQueue,
    private readonly challenges: EntryChallenges,
    joinRatePerMinute: number,
    private readonly mail: MailService | undefined,
  ) {
    this.joinsPerAddress = new RateLimiter(joinRatePerMinute / 60, joinRatePerMinute);
  }

  /** A proof-of-work challenge for a giveaway that asks for one with each join. */
  async challenge(slug: string) {
    const giveaway = await requirePublishedGiveaway(this.db, slug);
    if (giveaway.entry_challenge !== 'pow') {
      throw new AppError(
        'invalid_state',
        'this giveaway asks for no challenge: join it with your email alone',
      );
    }
    return this.challenges.create(giveaway.id, this.clock());
  }

  /**
   * Enters a live giveaway. `clientIp` is the request's address (behind a trusted proxy, the one it
   * forwarded). When the giveaway verifies emails, a new entry gets a link mailed to its address, and an
   * address that has entered already gets one too instead of a refusal: whoever can read that mailbox owns
   * the entry, so someone who typed another person's address first cannot keep them out.
   */
  async join(slug: string, { email, altcha }: JoinInput, clientIp: string): Promise<JoinOutcome> {
    const now = this.clock();
    if (!this.joinsPerAddress.take(clientIp, now)) {
      throw new AppError('rate_limited', 'too many joins from this network address; try again in a minute');
    }
    const giveaway = await requirePublishedGiveaway(this.db, slug);
    this.requireLive(giveaway, now);
    const proof =
      giveaway.entry_challenge === 'pow' ? await this.challenges.check(altcha, giveaway.id, now) : undefined;
    if (proof && !proof.ok) throw new AppError('invalid_request', proof.message);
    const verifying = giveaway.require_verified_email === 1;
    const tasks = await listTasks(this.db, giveaway.id);
    const token = `pdp_${randomToken(32)}`;
    const participant: ParticipantsTable = {
      id: newId('pt'),
      giveaway_id: giveaway.id,
      email: normaliseEmail(email),
      token_hash: hashToken(token),
      created_at: now,
      // An entry that must prove its address becomes eligible when it does, not before.
      eligible_at: tasks.length === 0 && !verifying ? now : null,
      ip_bucket: networkBucket(clientIp) ?? null,
      email_verified_at: null,
    };
    const outcome = await this.db
      .transaction()
      .execute(async (tx): Promise<'entered' | 'taken' | 'mailed'> => {
        // The list may have been frozen since the check above: an entry added after it could never win.
        if (!(await entryListOpen(tx, giveaway.id))) {
          throw new AppError('giveaway_not_live', notLiveReason('ended'));
        }
        const inserted = await insertParticipant(tx, participant);
        // Without email verification, handing the existing entry to whoever types its email would let
        // anyone take over someone else's entry: a second join with the same email is refused instead.
        if (!inserted && !verifying) return 'taken';
        // Spent in the join's transaction: two joins racing with one solution cannot both commit.
        if (proof?.ok && !(await spendChallenge(tx, proof.nonce, proof.expiresAt)))
          throw new SpentChallenge();
        if (!inserted) {
          const existing = await findParticipantByEmail(tx, giveaway.id, participant.email);
          if (existing) await queueEntryLink(tx, existing.id, now);
          return 'mailed';
        }
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
        if (verifying) await enqueueMail(tx, participant.id, 'link', now);
        return 'entered';
      })
      .catch((error: unknown) => {
        if (!(error instanceof SpentChallenge)) throw error;
        throw new AppError(
          'invalid_request',
          'this challenge solution was already used for a join: fetch a new challenge and solve it',
        );
      });
    if (outcome === 'taken') {
      throw new AppError('already_entered', 'this email has already entered this giveaway');
    }
    if (verifying) this.mail?.nudge();
    if (outcome === 'mailed') return { kind: 'mailed', giveawayId: giveaway.id };
    // The first page load and track link that follow then read nothing.
    if (!verifying) this.lookups.rememberParticipant(token, { id: participant.id, giveawayId: giveaway.id });
    return {
      kind: 'entered',
      participantId: participant.id,
      token,
      giveawayId: giveaway.id,
      verified: !verifying,
    };
  }

  participantForToken(token: string): Promise<ParticipantRef | undefined> {
    return this.lookups.participantByToken(token);
  }

  giveawayForSlug(slug: string): Promise<GiveawaysTable> {
    return requirePublishedGiveaway(this.db, slug);
  }

  async me(participant: ParticipantRef): Promise<MyEntry> {
    const [rows, state] = await Promise.all([
      listParticipantProgress(this.db, participant.giveawayId, participant.id),
      findEntryState(this.db, participant.id),
    ]);
    const verified = state.email_verified_at !== null;
    const verificationRequired = state.require_verified_email === 1;
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
    // First come, first served: where this entry stands among the finishers decides whether it wins.
    const finishedRank =
      state.winner_mode === 'first_come' && state.eligible_at !== null
        ? (await countEligibleBefore(this.db, participant.giveawayId, state.eligible_at, participant.id)) + 1
        : null;
    return {
      participantId: participant.id,
      email: state.email,
      eligible: isEligible(tasks) && (verified || !verificationRequired),
      verified,
      verificationRequired,
      finishedRank,
      tasks,
    };
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
    return { trackId, url: withTrackId(task.url, trackId, task.event) };
  }

  /**
   * The task's website link for the participant whose token `tokenFor` gives for the task's giveaway, when
   * everything `visit` needs is cached and lets the visit through: most clicks, with no promise a read. Any
   * other case answers undefined, and the click goes through `visit`, which reads what is missing and says
   * what is wrong.
   */
  cachedVisit(taskId: string, tokenFor: (giveawayId: string) => string | undefined): string | undefined {
    const task = this.lookups.cachedTask(taskId);
    if (!task) return undefined;
    const token = tokenFor(task.giveawayId);
    const participant = token === undefined ? undefined : this.lookups.cachedParticipant(token);
    const schedule = this.lookups.cachedSchedule(task.giveawayId);
    if (participant?.giveawayId !== task.giveawayId || !schedule) return undefined;
    if (giveawayPhase(schedule, this.clock()) !== 'live') return undefined;
    const trackId = this.lookups.cachedTrackIdOf(participant.id, task.websiteId);
    return trackId && withTrackId(task.url, trackId, task.event);
  }

  async giveawayOfTask(taskId: string): Promise<string | undefined> {
    return (await this.lookups.task(taskId))?.giveawayId;
  }

  /** The public page of the task's giveaway, where a participant joins it and sees their progress. */
  async giveawayPageOfTask(taskId: string): Promise<string | undefined> {
    const task = await this.lookups.task(taskId);
    return task && `/g/${encodeURIComponent(task.giveawaySlug)}`;
  }

  /** The dashboard's list: a page of entries, optionally those whose email contains `search`. */
  async search(
    hostId: string,
    giveawayId: string,
    query: { search: string; offset: number; limit: number },
  ): Promise<EntriesPage> {
    const giveaway = await requireHostGiveaway(this.db, hostId, giveawayId);
    const [tasks, standings, page] = await Promise.all([
      listTasks(this.db, giveaway.id),
      winnerStandings(this.db, giveaway),
      searchParticipants(this.db, giveaway.id, query.search, query.offset, query.limit),
    ]);
    return { entries: await entryRows(this.db, giveaway.id, tasks, standings, page.rows), total: page.total };
  }

  /** The giveaway's entries (or its winners alone) as a stream of rows, for the host's exports. */
  async export(hostId: string, giveawayId: string, onlyWinners: boolean) {
    const giveaway = await requireHostGiveaway(this.db, hostId, giveawayId);
    const tasks = await listTasks(this.db, giveaway.id);
    return { tasks, rows: exportRows(this.db, giveaway, tasks, onlyWinners) };
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
    this.lookups.rememberTrackId(participant, task, trackId);
    return trackId;
  }

  private requireLive(giveaway: Schedule, now: number): void {
    const phase = giveawayPhase(giveaway, now);
    if (phase !== 'live') throw new AppError('giveaway_not_live', notLiveReason(phase));
  }
}
