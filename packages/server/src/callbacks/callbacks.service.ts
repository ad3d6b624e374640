import type { Db } from '../db/database.js';
import { AppError, ERROR_STATUS, notFound } from '../errors.js';
import { PRESET_EVENTS, unitKey } from '../giveaways/progress.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/random.js';
import { insertTrackId } from '../participants/participants.repository.js';
import { newTrackId } from '../participants/participants.service.js';
import { trackedUrl } from '../participants/track-link.js';
import { verifyingKeys } from '../projects/api-key.js';
import {
  findWebsite,
  isKnownWebsiteOrigin,
  listWebsites,
  projectHasWebsiteOrigin,
} from '../projects/projects.repository.js';
import type { ProjectsService } from '../projects/projects.service.js';
import { type CallbackBody, judgeCallback, type Rejection, type TrackRecord } from './callback-rules.js';
import {
  countIncompleteTasks,
  findProgress,
  findTrack,
  incrementProgress,
  insertLog,
  insertUnit,
  listLog,
  listWebsiteTasks,
  markEligible,
  markTaskCompleted,
} from './callbacks.repository.js';

export type Progress = { count: number; required: number };
export type CallbackAnswer = {
  status: 200 | (typeof ERROR_STATUS)[Rejection['code']];
  projectId: string | undefined;
  body: { ok: boolean; code: string; message: string; progress?: Progress; eligible?: boolean };
};

export type CallbackLogEntry = {
  receivedAt: string;
  trackId: string | null;
  event: string | null;
  remark: string | null;
  code: string;
  detail: string;
  expectedCanonical: string | null;
  hint: string | null;
};

type ResolvedTrack = { record: TrackRecord; keys: string[] };

export class CallbacksService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly projects: ProjectsService,
  ) {}

  async handle(body: CallbackBody): Promise<CallbackAnswer> {
    const now = this.clock();
    const resolved = await this.resolveTrack(body.track_id, now);
    const verdict = judgeCallback(body, resolved?.record, resolved?.keys ?? [], now);
    const projectId = resolved?.record.projectId;
    const logBase = {
      received_at: now,
      track_id: body.track_id,
      event: body.event,
      remark: body.remark ?? null,
    };

    if (verdict.outcome === 'reject') {
      if (projectId) {
        await insertLog(this.db, {
          ...logBase,
          project_id: projectId,
          code: verdict.code,
          detail: verdict.message,
          expected_canonical: verdict.expectedCanonical ?? null,
          hint: verdict.hint ?? null,
        });
      }
      return {
        status: ERROR_STATUS[verdict.code],
        projectId,
        body: { ok: false, code: verdict.code, message: verdict.message },
      };
    }

    const record = resolved?.record as TrackRecord;
    if (verdict.outcome === 'test') {
      const message = 'signature verified on a test track_id; nothing was counted';
      await insertLog(this.db, {
        ...logBase,
        project_id: record.projectId,
        code: 'verified',
        detail: message,
        expected_canonical: null,
        hint: null,
      });
      return { status: 200, projectId, body: { ok: true, code: 'verified', message } };
    }

    const participantId = record.entry?.participantId as string;
    const giveawayId = record.entry?.giveawayId as string;
    const required = verdict.requiredAmount;
    // One transaction holds the unit, the counter, the eligibility and the log row: all land or none does.
    return this.db.transaction().execute(async (tx) => {
      const answer = await (async (): Promise<CallbackAnswer['body']> => {
        const before = await findProgress(tx, verdict.taskId, participantId);
        if (before && before.count >= required) {
          return {
            ok: true,
            code: 'duplicate',
            message: 'the task is already complete; nothing changed',
            progress: { count: required, required },
          };
        }
        const inserted = await insertUnit(tx, {
          task_id: verdict.taskId,
          participant_id: participantId,
          unit_key: unitKey(verdict.remark, () => newId('u')),
          created_at: now,
        });
        if (!inserted) {
          return {
            ok: true,
            code: 'duplicate',
            message: 'this remark was already counted for this task; nothing changed',
            progress: { count: before?.count ?? 0, required },
          };
        }
        const count = await incrementProgress(tx, verdict.taskId, participantId);
        if (count < required) {
          return {
            ok: true,
            code: 'recorded',
            message: `counted ${count} of ${required}`,
            progress: { count, required },
          };
        }
        await markTaskCompleted(tx, verdict.taskId, participantId, now);
        const eligible = (await countIncompleteTasks(tx, giveawayId, participantId)) === 0;
        if (eligible) await markEligible(tx, participantId, now);
        return {
          ok: true,
          code: 'completed',
          message: eligible
            ? 'task completed; every task is done, the participant is eligible'
            : 'task completed',
          progress: { count, required },
          eligible,
        };
      })();
      await insertLog(tx, {
        ...logBase,
        project_id: record.projectId,
        code: answer.code,
        detail: answer.message,
        expected_canonical: null,
        hint: null,
      });
      return { status: 200, projectId, body: answer };
    });
  }

  /** A malformed callback still lands in its project's log when its track_id names one. */
  async logInvalidRequest(body: unknown, message: string): Promise<string | undefined> {
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const trackId =
      typeof fields.track_id === 'string' && fields.track_id.length <= 128 ? fields.track_id : undefined;
    if (!trackId) return undefined;
    const track = await findTrack(this.db, trackId);
    if (!track) return undefined;
    const text = (v: unknown, max: number) =>
      typeof v === 'string' && v.length <= max && v.isWellFormed() && !v.includes('\0') ? v : null;
    await insertLog(this.db, {
      project_id: track.project_id,
      received_at: this.clock(),
      track_id: trackId,
      event: text(fields.event, 64),
      remark: text(fields.remark, 512),
      code: 'invalid_request',
      detail: message,
      expected_canonical: null,
      hint: null,
    });
    return track.project_id;
  }

  async resolveTrack(trackId: string, now: number): Promise<ResolvedTrack | undefined> {
    const row = await findTrack(this.db, trackId);
    if (!row) return undefined;
    const entry =
      row.giveaway_id && row.participant_id && row.status
        ? {
            giveawayId: row.giveaway_id,
            participantId: row.participant_id,
            schedule: { status: row.status, starts_at: row.starts_at, ends_at: row.ends_at },
          }
        : null;
    const tasks = entry ? await listWebsiteTasks(this.db, entry.giveawayId, row.website_id) : [];
    return {
      record: {
        trackId: row.track_id,
        projectId: row.project_id,
        websiteId: row.website_id,
        websiteName: row.website_name,
        entry,
        tasks: tasks.map((t) => ({ id: t.id, event: t.event, requiredAmount: t.required_amount })),
      },
      keys: verifyingKeys(row, now),
    };
  }

  /** Whether a browser page at `origin` may call the callback: an origin of one of the project's websites. */
  async corsAllowed(origin: string, projectId: string | undefined): Promise<boolean> {
    return projectId
      ? projectHasWebsiteOrigin(this.db, projectId, origin)
      : isKnownWebsiteOrigin(this.db, origin);
  }

  async createTest(
    hostId: string,
    projectId: string,
    input: { websiteId?: string | undefined; event?: string | undefined },
  ): Promise<{ trackId: string; link: string; websiteId: string; event: string }> {
    const project = await this.projects.require(hostId, projectId);
    const website = input.websiteId
      ? await findWebsite(this.db, project.id, input.websiteId)
      : (await listWebsites(this.db, project.id))[0];
    if (!website) {
      throw input.websiteId
        ? notFound('website')
        : new AppError('invalid_state', 'add a website to the project first: the test link opens one');
    }
    const event = input.event ?? PRESET_EVENTS[0];
    const trackId = newTrackId();
    await insertTrackId(this.db, {
      track_id: trackId,
      project_id: project.id,
      website_id: website.id,
      giveaway_id: null,
      participant_id: null,
      created_at: this.clock(),
    });
    return { trackId, link: trackedUrl(website.url, trackId, event), websiteId: website.id, event };
  }

  async log(hostId: string, projectId: string, limit: number): Promise<CallbackLogEntry[]> {
    const project = await this.projects.require(hostId, projectId);
    const rows = await listLog(this.db, project.id, limit);
    return rows.map((r) => ({
      receivedAt: new Date(r.received_at).toISOString(),
      trackId: r.track_id,
      event: r.event,
      remark: r.remark,
      code: r.code,
      detail: r.detail,
      expectedCanonical: r.expected_canonical,
      hint: r.hint,
    }));
  }
}
