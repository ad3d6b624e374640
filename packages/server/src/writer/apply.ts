import { giveawayPhase } from '../giveaways/lifecycle.js';
import { type CountOutcome, countMessage } from '../giveaways/progress.js';
import type { WebhookEvent } from '../webhooks/standard-webhooks.js';
import { newMessageId, webhookPayload } from '../webhooks/webhooks.repository.js';
import type { CountOp, LogRow, WriteOp, WriteResult } from './operations.js';
import type { Statements } from './statements.js';

/** Applies one operation inside the writer's open transaction; reads see every earlier write of the batch. */
export function applyOp(s: Statements, op: WriteOp): WriteResult {
  switch (op.kind) {
    case 'log':
      return { kind: 'log', logId: insertLog(s, op.log) };
    case 'count': {
      const outcome = applyCount(s, op);
      const logId = insertLog(s, {
        ...op.log,
        code: outcome.code,
        detail: countMessage(outcome, op.requiredAmount),
      });
      return { kind: 'count', ...outcome, logId };
    }
    case 'track': {
      const { row } = op;
      s.insertTrack.run(
        row.track_id,
        row.project_id,
        row.website_id,
        row.giveaway_id,
        row.participant_id,
        row.created_at,
      );
      const existing =
        row.participant_id === null ? undefined : s.trackOf.get(row.participant_id, row.website_id);
      return { kind: 'track', trackId: existing?.track_id ?? row.track_id };
    }
  }
}

/**
 * Times are the callback's arrival, not the batch's commit, so that first_come orders participants as
 * their callbacks came in even when several share one commit.
 */
function applyCount(s: Statements, op: CountOp): CountOutcome {
  const at = op.log.received_at;
  // Checked again here, under the write lock: an end or a freeze committed since the request was judged
  // wins, so nothing counts after the entry list is frozen.
  const state = s.giveawayState.get(op.giveawayId);
  if (!state || state.frozen_at !== null || giveawayPhase(state, at) !== 'live') {
    return { code: 'giveaway_not_live', count: 0, eligible: false };
  }
  const required = op.requiredAmount;
  const before = s.progress.get(op.taskId, op.participantId)?.count ?? 0;
  if (before >= required) return { code: 'duplicate', count: required, eligible: false };
  if (s.insertUnit.run(op.taskId, op.participantId, op.unitKey, at).changes === 0) {
    return { code: 'duplicate', count: before, eligible: false };
  }
  const count = (s.incrementProgress.get(op.taskId, op.participantId) as { count: number }).count;
  if (count < required) return { code: 'recorded', count, eligible: false };
  s.markCompleted.run(at, op.taskId, op.participantId);
  const eligible = (s.incompleteTasks.get(op.participantId, op.giveawayId) as { n: number }).n === 0;
  const ids = { giveawayId: op.giveawayId, participantId: op.participantId };
  enqueueWebhook(s, op.log.project_id, 'task.completed', at, {
    ...ids,
    taskId: op.taskId,
    event: op.log.event,
    count,
  });
  if (eligible && s.markEligible.run(at, op.participantId).changes === 1) {
    enqueueWebhook(s, op.log.project_id, 'participant.eligible', at, {
      ...ids,
      eligibleAt: new Date(at).toISOString(),
    });
  }
  return { code: 'completed', count, eligible };
}

/** The writer's twin of webhooks.repository's enqueueWebhook: same rows, in the batch's transaction. */
function enqueueWebhook(
  s: Statements,
  projectId: string,
  type: WebhookEvent,
  at: number,
  data: Record<string, unknown>,
) {
  const payload = webhookPayload(type, at, data);
  for (const endpoint of s.webhookEndpoints.all(projectId)) {
    if ((JSON.parse(endpoint.events) as string[]).includes(type)) {
      s.insertWebhookMessage.run(newMessageId(), endpoint.id, type, payload, at, at);
    }
  }
}

/** Inserts a callback-log row; answers its id, which live log clients resume from. */
function insertLog(s: Statements, log: LogRow): number {
  const { lastInsertRowid } = s.insertLog.run(
    log.project_id,
    log.received_at,
    log.track_id,
    log.event,
    log.remark,
    log.code,
    log.detail,
    log.expected_canonical,
    log.hint,
  );
  return Number(lastInsertRowid);
}
