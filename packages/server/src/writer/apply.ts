import { type CountOutcome, countMessage } from '../giveaways/progress.js';
import type { CountOp, LogRow, WriteOp, WriteResult } from './operations.js';
import type { Statements } from './statements.js';

/** Applies one operation inside the writer's open transaction; reads see every earlier write of the batch. */
export function applyOp(s: Statements, op: WriteOp): WriteResult {
  switch (op.kind) {
    case 'log':
      insertLog(s, op.log);
      return { kind: 'log' };
    case 'count': {
      const outcome = applyCount(s, op);
      insertLog(s, { ...op.log, code: outcome.code, detail: countMessage(outcome, op.requiredAmount) });
      return { kind: 'count', ...outcome };
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
  if (eligible) s.markEligible.run(at, op.participantId);
  return { code: 'completed', count, eligible };
}

function insertLog(s: Statements, log: LogRow): void {
  s.insertLog.run(
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
}
