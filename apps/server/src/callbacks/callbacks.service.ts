import type { SignatureVersion } from '@proofdrop/contract';
import {
  CALLBACK_LOG_SCAN,
  type CallbackAnswer as CallbackAnswerBody,
  type CallbackLog,
  type CallbackLogEntry,
  type CallbackLogFilter,
  type CallbackLogQuery,
  type Code,
  codesOfOutcome,
  ERROR_STATUS,
} from '@proofdrop/contract';
import { trackedUrl, V2_MAX_SKEW_SECONDS } from '@proofdrop/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Limits } from '../config.js';
import type { Db } from '../db/database.js';
import { AppError, notFound } from '../errors.js';
import { listTaskEventsOfWebsite } from '../giveaways/giveaways.repository.js';
import type { Schedule } from '../giveaways/lifecycle.js';
import { type CountOutcome, countMessage, PRESET_EVENTS, unitKey } from '../giveaways/progress.js';
import { type Clock, DAY_MS } from '../lib/clock.js';
import { normaliseEmail } from '../lib/email.js';
import { newId } from '../lib/random.js';
import { RateLimiter } from '../lib/rate-limit.js';
import type { LiveEvents } from '../live/live-events.js';
import type { Lookups, ProjectKeys, TrackFacts } from '../lookups/lookups.js';
import { newTrackId } from '../participants/track-id.js';
import { verifyingKeys } from '../projects/api-key.js';
import { requireHostProject } from '../projects/project-access.js';
import {
  findWebsite,
  listSiblingProjects,
  listWebsites,
  markKeyInPage,
} from '../projects/projects.repository.js';
import type { CountOp, LogRow } from '../writer/operations.js';
import type { WriteQueue } from '../writer/ports.js';
import {
  type CallbackBody,
  judgeCallback,
  otherProjectHint,
  projectSignedWith,
  type Rejection,
  type TrackRecord,
  testCallbackMessage,
} from './callback-rules.js';
import {
  countLogAfter,
  countTestTrackIdsSince,
  type LogFilter,
  listLog,
  listLogAfter,
  listTrackIdsOfEmail,
  newestLogId,
} from './callbacks.repository.js';
import { pageOf, pageSigningHint } from './page-signing.js';
import { RejectionTally } from './rejection-tally.js';

type AnswerCode = Rejection['code'] | 'rate_limited';

export type CallbackAnswer = {
  status: 200 | (typeof ERROR_STATUS)[AnswerCode];
  projectId: string | undefined;
  body: CallbackAnswerBody;
};

const RATE_LOG_INTERVAL_MS = 1000;
/** Check API callback test track_ids a project may make a day: ample for a person testing by hand. */
export const TEST_TRACK_IDS_PER_DAY = 100;
const BACKLOG_PAGE = 500;
/** Rows a resuming live log replays at most; a client further behind is told to reload the log. */
export const REPLAY_MAX = 1000;
/** How often a project's latest callback from a web page is written down, at most. */
const KEY_IN_PAGE_NOTE_MS = 60_000;
/** Entries waiting for one slow live client before it gets them read back from the database instead. */
const MAX_QUEUED_ENTRIES = 100;
/** A host's other projects whose keys a bad signature is tried with, for the log's hint. */
const SIBLINGS_TRIED = 20;

export class CallbacksService {
  private readonly perProject: RateLimiter;
  private readonly perTrack: RateLimiter;
  /** Rejections have their own small budget: a flood of bad callbacks must not fill the log or the writer. */
  private readonly rejectionsPerProject: RateLimiter;
  private readonly overBudget: RejectionTally;
  /** Bad signatures tried with the host's other keys, a project a second: each costs reads and HMACs. */
  private readonly siblingChecks = new RateLimiter(1, 1);
  /** When each project's log last got a rate_limited row: one a second shows the limit without flooding. */
  private readonly rateLogged = new Map<string, number>();

  private readonly replayWindowMs: number;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly lookups: Lookups,
    private readonly writer: WriteQueue,
    limits: Limits,
    private readonly live: LiveEvents<CallbackLogEntry>,
    private readonly logger: FastifyBaseLogger,
  ) {
    this.replayWindowMs = limits.replayWindowSeconds * 1000;
    this.perProject = new RateLimiter(limits.callbackRatePerProject);
    this.perTrack = new RateLimiter(limits.callbackRatePerTrack);
    this.rejectionsPerProject = new RateLimiter(limits.rejectionLogRate, limits.rejectionLogRate);
    this.overBudget = new RejectionTally((row) =>
      this.writeLog(row).catch(() => {
        // Lost only when the writer is gone: a count of rejections is not worth failing anything for.
      }),
    );
  }

  /** Which of the host's other projects' keys signed a callback this project's key did not, if any. */
  private async siblingSigner(
    projectId: string,
    body: CallbackBody,
    now: number,
  ): Promise<string | undefined> {
    // A hint for the log only: a database that cannot answer leaves the refusal without it, as it was.
    try {
      const siblings = await listSiblingProjects(this.db, projectId, SIBLINGS_TRIED);
      const others = [];
      for (const sibling of siblings) {
        const keys = await this.lookups.projectKeys(sibling.id);
        if (keys) others.push({ name: sibling.name, keys: verifyingKeys(keys, now) });
      }
      return projectSignedWith(body, others);
    } catch {
      return undefined;
    }
  }

  /** Writes the rejections counted but not yet logged; at shutdown, before the writer closes. */
  flushRejections(): Promise<void> {
    return this.overBudget.flush();
  }

  /** `origin`: the request's Origin header, which only a web page's script sends (page-signing.ts). */
  async handle(body: CallbackBody, origin?: string): Promise<CallbackAnswer> {
    const now = this.clock();
    const { record, keys, signatureVersion } =
      this.cachedFacts(body.track_id, now) ?? (await this.resolve(body.track_id, now));
    const projectId = record?.projectId;
    // Diagnosing a bad signature tries several likely mistakes: only rejections the log will show get it.
    const diagnose = projectId !== undefined && this.rejectionsPerProject.allows(projectId, now);
    const verdict = judgeCallback(body, record, keys, now, signatureVersion, diagnose);
    // Only a callback that verified proves the key is in the page: anyone can send a bad one with Origin.
    const signedInPage =
      verdict.outcome === 'reject' &&
      (verdict.code === 'invalid_signature' || verdict.code === 'unknown_track_id')
        ? null
        : pageSigningHint(origin);
    // Built field by field, not spread: this runs for every callback.
    const entryLog = (): CountOp['log'] => ({
      project_id: projectId as string,
      received_at: now,
      track_id: body.track_id,
      event: body.event,
      remark: body.remark ?? null,
      expected_canonical: null,
      hint: signedInPage,
    });
    const log = (code: string, detail: string, extra: Partial<LogRow> = {}): LogRow => ({
      ...entryLog(),
      code,
      detail,
      ...extra,
    });

    if (verdict.outcome === 'reject') {
      if (projectId) {
        const sibling =
          diagnose &&
          verdict.code === 'invalid_signature' &&
          !verdict.hint &&
          this.siblingChecks.take(projectId, now)
            ? await this.siblingSigner(projectId, body, now)
            : undefined;
        const extra = {
          expected_canonical: verdict.expectedCanonical ?? null,
          hint: sibling ? otherProjectHint(sibling) : (verdict.hint ?? signedInPage),
        };
        await this.logRejection(log(verdict.code, verdict.logDetail ?? verdict.message, extra));
      }
      return reject(verdict.code, verdict.message, projectId);
    }

    const track = record as TrackRecord;
    // The track's bucket first: one noisy track_id must not drain its project's budget for everyone else.
    const overLimit = !this.perTrack.take(track.trackId, now)
      ? 'this track_id'
      : !this.perProject.take(track.projectId, now)
        ? 'this project'
        : undefined;
    if (overLimit) {
      const message = `too many callbacks for ${overLimit}; retry after a second`;
      await this.logRateLimited(log('rate_limited', message));
      return reject('rate_limited', message, projectId);
    }

    if (verdict.outcome === 'test') {
      const events = await listTaskEventsOfWebsite(this.db, track.websiteId);
      const message = testCallbackMessage(body.event, track.websiteName, events);
      await this.writeLog(log('verified', message));
      this.noteKeyInPage(track.projectId, origin, now);
      return { status: 200, projectId, body: { ok: true, code: 'verified', message } };
    }

    const entry = track.entry as NonNullable<TrackRecord['entry']>;
    const countLog = entryLog();
    const result = await this.writer.submit({
      kind: 'count',
      taskId: verdict.taskId,
      participantId: entry.participantId,
      giveawayId: entry.giveawayId,
      requiredAmount: verdict.requiredAmount,
      unitKey: unitKey(verdict.remark, () => newId('u')),
      replay: this.replayKey(body, now),
      log: countLog,
    });
    const outcome = result as CountOutcome & { kind: 'count'; logId: number };
    const detail = countMessage(outcome, verdict.requiredAmount);
    this.live.logged(track.projectId, () =>
      toLogEntry({ ...countLog, code: outcome.code, detail, id: outcome.logId }),
    );
    if (outcome.code === 'recorded' || outcome.code === 'completed') {
      this.live.progressed(entry.participantId);
      this.noteKeyInPage(track.projectId, origin, now);
    }
    if (outcome.code === 'giveaway_not_live') {
      return reject('giveaway_not_live', detail, projectId);
    }
    return {
      status: 200,
      projectId,
      body: {
        ok: true,
        code: outcome.code,
        message: detail,
        progress: { count: outcome.count, required: verdict.requiredAmount },
        ...(outcome.code === 'completed' ? { eligible: outcome.eligible } : {}),
      },
    };
  }

  /**
   * A callback without remark counts each time, except the very same body again within the replay window:
   * its signature (which covers every field) is remembered, so a replayed or retried body counts once.
   */
  private replayKey(body: CallbackBody, now: number): CountOp['replay'] {
    if (this.replayWindowMs === 0 || (body.remark !== undefined && body.remark !== '')) return undefined;
    // A v2 body is kept until its ts goes stale too, so it can never be replayed at all.
    const staleAt = body.ts === undefined ? 0 : (Number(body.ts) + V2_MAX_SKEW_SECONDS) * 1000;
    return { sign: body.sign.toLowerCase(), expiresAt: Math.max(now + this.replayWindowMs, staleAt) };
  }

  /**
   * Keeps on the project the page a counted callback came from (its Origin), at most once a minute a project
   * and off the answer's path. Only a callback that counted: a replay (a duplicate) of a captured body with
   * a made-up Origin says nothing of where the key is.
   */
  private noteKeyInPage(projectId: string, origin: string | undefined, now: number): void {
    if (origin === undefined || !this.lookups.takePageNote(projectId, now, KEY_IN_PAGE_NOTE_MS)) return;
    markKeyInPage(this.db, projectId, pageOf(origin), now).catch((error: unknown) =>
      this.logger.warn({ err: error, projectId }, 'could not note a callback sent from a web page'),
    );
  }

  /** A malformed callback still lands in its project's log when its track_id names one. */
  async logInvalidRequest(body: unknown, message: string): Promise<string | undefined> {
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const trackId =
      typeof fields.track_id === 'string' && fields.track_id.length <= 128 ? fields.track_id : undefined;
    const track = trackId ? await this.lookups.track(trackId) : undefined;
    // A project deleted after its track_id was cached has no log to write to (resolve reads the same way).
    if (!trackId || !track || !(await this.lookups.projectKeys(track.projectId))) return undefined;
    const text = (v: unknown, max: number) =>
      typeof v === 'string' && v.length <= max && v.isWellFormed() && !v.includes('\0') ? v : null;
    await this.logRejection({
      project_id: track.projectId,
      received_at: this.clock(),
      track_id: trackId,
      event: text(fields.event, 64),
      remark: text(fields.remark, 512),
      code: 'invalid_request',
      detail: message,
      expected_canonical: null,
      hint: null,
    });
    return track.projectId;
  }

  /** Whether a browser page at `origin` may call the callback: an origin of one of the project's websites. */
  async corsAllowed(origin: string, projectId: string | undefined): Promise<boolean> {
    return (await this.lookups.websiteOrigins(projectId)).has(origin);
  }

  async createTest(
    hostId: string,
    projectId: string,
    input: { websiteId?: string | undefined; event?: string | undefined },
  ): Promise<{ trackId: string; link: string; websiteId: string; event: string }> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const website = input.websiteId
      ? await findWebsite(this.db, project.id, input.websiteId)
      : (await listWebsites(this.db, project.id))[0];
    if (!website) {
      throw input.websiteId
        ? notFound('website')
        : new AppError('invalid_state', 'add a website to the project first: the test link opens one');
    }
    const now = this.clock();
    // Each test track_id is a row and a cache entry kept for good: a script must not make them without end.
    if ((await countTestTrackIdsSince(this.db, project.id, now - DAY_MS)) >= TEST_TRACK_IDS_PER_DAY) {
      throw new AppError(
        'rate_limited',
        `this project made ${TEST_TRACK_IDS_PER_DAY} test track_ids in the last 24 hours; reuse one of them, or try again tomorrow`,
      );
    }
    const event = input.event ?? PRESET_EVENTS[0];
    const row = {
      track_id: newTrackId(),
      project_id: project.id,
      website_id: website.id,
      giveaway_id: null,
      participant_id: null,
      created_at: now,
    };
    await this.writer.submit({ kind: 'track', row });
    return {
      trackId: row.track_id,
      link: trackedUrl(website.url, row.track_id, event),
      websiteId: website.id,
      event,
    };
  }

  async log(hostId: string, projectId: string, query: CallbackLogQuery): Promise<CallbackLog> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const page = { limit: query.limit ?? 50, before: query.before, scan: CALLBACK_LOG_SCAN };
    // Read first: a row committed between the two reads is then one the live view replays, not one it misses.
    const newestId = await newestLogId(this.db, project.id);
    const trackIds =
      query.email === undefined
        ? undefined
        : await listTrackIdsOfEmail(this.db, project.id, normaliseEmail(query.email));
    const { rows, nextBefore } = await listLog(this.db, project.id, page, logFilter(query, trackIds));
    return { callbacks: rows.map(toLogEntry), nextBefore, newestId, ...(trackIds ? { trackIds } : {}) };
  }

  /**
   * The live log: rows after `lastEventId` first (what a reconnecting client missed, unless that is more
   * than REPLAY_MAX: then `resync` is called and the stream starts after the latest row), then every new
   * row as it commits. `send` may wait for a slow client: nothing more is read until it is done. Answers the
   * unsubscribe function.
   */
  async follow(
    hostId: string,
    projectId: string,
    lastEventId: number | undefined,
    send: (entry: CallbackLogEntry) => Promise<void> | undefined,
    resync: () => void,
  ): Promise<() => void> {
    const project = await requireHostProject(this.db, hostId, projectId);
    let lastSent = lastEventId ?? 0;
    const deliver = async (entry: CallbackLogEntry) => {
      if (entry.id <= lastSent) return;
      lastSent = entry.id;
      await send(entry);
    };
    const latestId = () => newestLogId(this.db, project.id);
    // Page through everything after the last row sent, one page at a time as the client takes it.
    const readMissed = async () => {
      for (;;) {
        const page = await listLogAfter(this.db, project.id, lastSent, BACKLOG_PAGE);
        for (const row of page) await deliver(toLogEntry(row));
        if (page.length < BACKLOG_PAGE) return;
      }
    };
    /** A resuming client too far behind reloads the log instead, and follows from the latest row. */
    const replay = async () => {
      if ((await countLogAfter(this.db, project.id, lastSent, REPLAY_MAX)) <= REPLAY_MAX) return readMissed();
      lastSent = await latestId();
      resync();
    };
    // Entries and reads go through one queue, so a read that is in flight never races a newer entry. A
    // client that falls behind gets its entries read back from the database, not held here one by one.
    let queue = Promise.resolve();
    let queued = 0;
    let readQueued = false;
    const enqueue = (entry: CallbackLogEntry | undefined) => {
      if (entry !== undefined && queued >= MAX_QUEUED_ENTRIES) entry = undefined;
      if (entry === undefined) {
        if (readQueued) return;
        readQueued = true;
      } else {
        queued++;
      }
      queue = queue
        .then(() => {
          if (entry) {
            queued--;
            return deliver(entry);
          }
          readQueued = false;
          return readMissed();
        })
        .catch(() => {});
    };
    // Subscribe before reading, so nothing committed in between is lost; ids skip repeats. A new client
    // starts after the latest row; a resuming one first gets what it missed.
    let replayed = false;
    const early: (CallbackLogEntry | undefined)[] = [];
    const unsubscribe = this.live.onLog(project.id, (entry) =>
      replayed
        ? enqueue(entry)
        : early.length < MAX_QUEUED_ENTRIES
          ? early.push(entry)
          : early.push(undefined),
    );
    try {
      if (lastEventId === undefined) lastSent = await latestId();
      else await replay();
    } catch (error) {
      unsubscribe();
      throw error;
    }
    replayed = true;
    for (const entry of early) enqueue(entry);
    return unsubscribe;
  }

  /** Runs `send` now and each time the participant's progress changes. */
  followProgress(participantId: string, send: () => void): () => void {
    send();
    return this.live.onProgress(participantId, send);
  }

  private async writeLog(row: LogRow): Promise<void> {
    const result = (await this.writer.submit({ kind: 'log', log: row })) as { kind: 'log'; logId: number };
    this.live.logged(row.project_id, () => toLogEntry({ ...row, id: result.logId }));
  }

  /** Logs a rejected callback while its project is within its rejection budget; beyond it, counts it. */
  private async logRejection(row: LogRow): Promise<void> {
    if (!this.rejectionsPerProject.take(row.project_id, row.received_at)) return this.overBudget.add(row);
    // The counts of a flood's past seconds come before what follows it.
    await this.overBudget.settle(row.received_at);
    await this.writeLog(row);
  }

  /** One rate_limited row a second per project shows the limit in the log without flooding it. */
  private async logRateLimited(row: LogRow): Promise<void> {
    if ((this.rateLogged.get(row.project_id) ?? 0) + RATE_LOG_INTERVAL_MS > row.received_at) return;
    this.rateLogged.set(row.project_id, row.received_at);
    await this.writeLog(row);
  }

  /**
   * What `resolve` answers, from the caches alone when they hold all of it (every callback but a track_id's
   * first, and the first after a change to its project or giveaway or the mutable caches' expiry):
   * without a promise a read.
   */
  private cachedFacts(trackId: string, now: number): Facts | undefined {
    const facts = this.lookups.cachedTrack(trackId);
    const projectKeys = facts && this.lookups.cachedProjectKeys(facts.projectId);
    if (!projectKeys) return undefined;
    const schedule = facts.giveawayId ? this.lookups.cachedSchedule(facts.giveawayId) : undefined;
    if (facts.giveawayId && !schedule) return undefined;
    const websiteName = this.lookups.cachedWebsiteName(facts.websiteId);
    if (websiteName === undefined) return undefined;
    return factsOf(facts, websiteName, projectKeys, schedule, now);
  }

  private async resolve(trackId: string, now: number): Promise<Facts> {
    const facts = await this.lookups.track(trackId);
    if (!facts) return UNKNOWN;
    const [projectKeys, schedule, websiteName] = await Promise.all([
      this.lookups.projectKeys(facts.projectId),
      facts.giveawayId ? this.lookups.schedule(facts.giveawayId) : undefined,
      this.lookups.websiteName(facts.websiteId),
    ]);
    // The project was deleted after this track_id was cached: it names nothing any more.
    if (!projectKeys || websiteName === undefined) return UNKNOWN;
    return factsOf(facts, websiteName, projectKeys, schedule, now);
  }
}

/** What a callback is judged against: its track_id's record, and the keys that may sign for it. */
type Facts = { record: TrackRecord | undefined; keys: string[]; signatureVersion: SignatureVersion };

const UNKNOWN: Facts = { record: undefined, keys: [], signatureVersion: 'v1' };

function factsOf(
  facts: TrackFacts,
  websiteName: string,
  projectKeys: ProjectKeys,
  schedule: Schedule | undefined,
  now: number,
): Facts {
  const entry =
    facts.giveawayId && facts.participantId && schedule
      ? { giveawayId: facts.giveawayId, participantId: facts.participantId, schedule }
      : null;
  // Field by field, not `{ ...facts, entry }`: V8 placed that copy where only a full collection frees
  // it, so under load the heap grew ~3 MB a second between collections (the sampling heap profiler).
  const record: TrackRecord = {
    trackId: facts.trackId,
    projectId: facts.projectId,
    websiteId: facts.websiteId,
    websiteName,
    entry,
    tasks: facts.tasks,
  };
  return { record, keys: verifyingKeys(projectKeys, now), signatureVersion: projectKeys.signature_version };
}

export function toLogEntry(r: LogRow & { id: number }): CallbackLogEntry {
  return {
    id: r.id,
    receivedAt: new Date(r.received_at).toISOString(),
    trackId: r.track_id,
    event: r.event,
    remark: r.remark,
    // Only the writer stores log rows, always with one of the contract's codes.
    code: r.code as Code,
    detail: r.detail,
    expectedCanonical: r.expected_canonical,
    hint: r.hint,
  };
}

/** The query's filter as the codes and track_id a row must have: an outcome and a code both hold. */
function logFilter(
  { outcome, code, trackId, remark }: CallbackLogFilter,
  trackIds: readonly string[] | undefined,
): LogFilter {
  const ofOutcome = outcome === undefined ? undefined : codesOfOutcome(outcome);
  const codes =
    code === undefined ? ofOutcome : ofOutcome === undefined || ofOutcome.includes(code) ? [code] : [];
  return {
    ...(codes ? { codes } : {}),
    ...(trackId === undefined ? {} : { trackId }),
    ...(trackIds === undefined ? {} : { trackIds }),
    ...(remark === undefined ? {} : { remark }),
  };
}

function reject(code: AnswerCode, message: string, projectId: string | undefined): CallbackAnswer {
  return { status: ERROR_STATUS[code], projectId, body: { ok: false, code, message } };
}
