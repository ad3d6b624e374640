import type { GiveawayStatus } from '../db/schema.js';
import { giveawayPhase } from '../giveaways/lifecycle.js';
import { type CountOutcome, countMessage } from '../giveaways/progress.js';
import { OUTBOX_COLUMNS, outboxMessages } from '../webhooks/outbox.js';
import type { WebhookEvent, WebhookEventData } from '../webhooks/standard-webhooks.js';
import type { CountOp, LogRow, WriteOp, WriteResult } from './operations.js';
import type { WriteStore } from './ports.js';

type CountState = {
  status: GiveawayStatus;
  starts_at: number | null;
  ends_at: number | null;
  frozen_at: number | null;
  require_verified_email: number;
  email_verified_at: number | null;
};

/**
 * An applied operation, and the callback-log row it writes. Log rows are inserted together at the end of
 * the batch (see commitBatch), which then fills in `logId`.
 */
export type Applied = { result: WriteResult; log?: LogRow };

/** Applies one operation inside the writer's open transaction; reads see every earlier write of the batch. */
export function applyOp(s: WriteStore, op: WriteOp): Applied {
  switch (op.kind) {
    case 'log':
      return { result: { kind: 'log', logId: 0 }, log: op.log };
    case 'count': {
      const outcome = applyCount(s, op);
      const { log } = op;
      // Field by field, not spread: V8 placed the spread copies where only a full collection frees them,
      // so under load the writer's heap grew several MB a second (the sampling heap profiler).
      return {
        result: {
          kind: 'count',
          logId: 0,
          code: outcome.code,
          count: outcome.count,
          eligible: outcome.eligible,
          replayed: outcome.replayed,
          awaitingProof: outcome.awaitingProof,
        },
        log: {
          project_id: log.project_id,
          received_at: log.received_at,
          track_id: log.track_id,
          event: log.event,
          remark: log.remark,
          expected_canonical: log.expected_canonical,
          hint: log.hint,
          code: outcome.code,
          detail: countMessage(outcome, op.requiredAmount),
        },
      };
    }
    case 'track': {
      const { row } = op;
      s.run('insertTrack', [
        row.track_id,
        row.project_id,
        row.website_id,
        row.giveaway_id,
        row.participant_id,
        row.created_at,
      ]);
      const existing =
        row.participant_id === null
          ? undefined
          : s.one<{ track_id: string }>('trackOf', [row.participant_id, row.website_id]);
      return { result: { kind: 'track', trackId: existing?.track_id ?? row.track_id } };
    }
  }
}

/**
 * Times are the callback's arrival, not the batch's commit, so that first_come orders participants as
 * their callbacks came in even when several share one commit.
 */
function applyCount(s: WriteStore, op: CountOp): CountOutcome {
  const at = op.log.received_at;
  // Checked again here, under the write lock: an end or a freeze committed since the request was judged
  // wins, so nothing counts after the entry list is frozen.
  const state = s.one<CountState>('countState', [op.participantId, op.giveawayId]);
  if (!state || state.frozen_at !== null || giveawayPhase(state, at) !== 'live') {
    return { code: 'giveaway_not_live', count: 0, eligible: false };
  }
  const required = op.requiredAmount;
  const replayed =
    op.replay !== undefined &&
    s.run('claimReplay', [op.log.track_id, op.replay.sign, op.replay.expiresAt, at]) === 0;
  const before = s.one<{ count: number }>('progress', [op.taskId, op.participantId])?.count ?? 0;
  if (replayed) return { code: 'duplicate', count: Math.min(before, required), eligible: false, replayed };
  if (before >= required) return { code: 'duplicate', count: required, eligible: false };
  if (s.run('addUnit', [op.taskId, op.participantId, op.unitKey, at]) === 0) {
    return { code: 'duplicate', count: before, eligible: false };
  }
  // Read under the write lock, in this transaction: nothing else raised it since.
  const count = before + 1;
  if (count < required) return { code: 'recorded', count, eligible: false };
  s.run('markCompleted', [at, op.taskId, op.participantId]);
  const incomplete = s.one<{ n: number }>('incompleteTasks', [op.participantId, op.giveawayId]) as {
    n: number;
  };
  // An entry that must prove its address becomes eligible when it does (see entry-links.service).
  const proven = Number(state.require_verified_email) === 0 || state.email_verified_at !== null;
  const eligible = Number(incomplete.n) === 0 && proven;
  const ids = { giveawayId: op.giveawayId, participantId: op.participantId };
  enqueueWebhook(s, op.log.project_id, 'task.completed', at, {
    ...ids,
    taskId: op.taskId,
    event: op.log.event,
    count,
  });
  const marked = eligible
    ? s.one<{ eligible_at: number }>('markEligible', [op.participantId, op.giveawayId, op.participantId])
    : undefined;
  if (marked) {
    enqueueWebhook(s, op.log.project_id, 'participant.eligible', at, {
      ...ids,
      eligibleAt: new Date(marked.eligible_at).toISOString(),
    });
  }
  const awaitingProof = Number(incomplete.n) === 0 && !proven;
  return { code: 'completed', count, eligible, ...(awaitingProof ? { awaitingProof } : {}) };
}

/** webhooks.repository's enqueueWebhook as the writer runs it: the same rows, in the batch's transaction. */
function enqueueWebhook<E extends WebhookEvent>(
  s: WriteStore,
  projectId: string,
  type: E,
  at: number,
  data: WebhookEventData[E],
): void {
  const endpoints = s.all<{ id: string; events: string }>('webhookEndpoints', [projectId]);
  for (const message of outboxMessages(endpoints, type, at, data)) {
    s.run(
      'insertWebhookMessage',
      OUTBOX_COLUMNS.map((column) => message[column]),
    );
  }
}
