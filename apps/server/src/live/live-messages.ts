import type { ClusterMessage } from '../cluster/cluster-bus.js';
import type { WriteOp, WriteResult } from '../writer/operations.js';

/** What a committed batch shows on live streams: log rows per project, and progress per participant. */
export function liveMessages(ops: WriteOp[], results: WriteResult[]): ClusterMessage[] {
  const projectIds = new Set<string>();
  const participantIds = new Set<string>();
  ops.forEach((op, i) => {
    const result = results[i];
    if (op.kind === 'log' || op.kind === 'count') projectIds.add(op.log.project_id);
    if (
      op.kind === 'count' &&
      result?.kind === 'count' &&
      (result.code === 'recorded' || result.code === 'completed')
    )
      participantIds.add(op.participantId);
  });
  const messages: ClusterMessage[] = [];
  if (projectIds.size > 0) messages.push({ kind: 'logged', projectIds: [...projectIds] });
  if (participantIds.size > 0) messages.push({ kind: 'progressed', participantIds: [...participantIds] });
  return messages;
}
