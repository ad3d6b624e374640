import { type Applied, applyOp } from './apply.js';
import type { LogRow, WriteOp, WriteResult } from './operations.js';
import type { WriteConnection } from './ports.js';

/**
 * Commits a batch in one transaction on SQLite's writer thread. Operations run in lock order (by
 * participant, the order proofdrop_write_batch takes its row locks in on PostgreSQL), so both engines
 * count a batch alike; answers and log rows keep the order asked. If an operation fails, the batch is
 * rolled back and each operation gets a transaction of its own, so one bad operation does not fail its
 * neighbours. `committed` is told the operations of each transaction that commits.
 */
export function commitBatch(
  conn: WriteConnection,
  ops: WriteOp[],
  committed: (operations: number) => void = () => {},
): WriteResult[] {
  try {
    conn.begin();
    const applied: Applied[] = new Array(ops.length);
    for (const i of lockOrder(ops)) applied[i] = applyOp(conn, ops[i] as WriteOp);
    const results = withLogIds(conn, applied);
    conn.commit();
    committed(ops.length);
    return results;
  } catch (error) {
    try {
      conn.rollback();
    } catch {
      // The transaction is gone either way; the operations are retried or answered below.
    }
    if (ops.length === 1) {
      return [{ kind: 'error', message: error instanceof Error ? error.message : String(error) }];
    }
    return ops.flatMap((op) => commitBatch(conn, [op], committed));
  }
}

function withLogIds(conn: WriteConnection, applied: Applied[]): WriteResult[] {
  const logged = applied.filter((a) => a.log !== undefined);
  const ids = logged.length === 0 ? [] : conn.insertLogs(logged.map((a) => a.log as LogRow));
  const idOf = new Map(logged.map((a, i) => [a, ids[i] as number]));
  // Each result is this batch's own, made by applyOp: its log id is filled in rather than copied.
  return applied.map((a) => {
    const logId = idOf.get(a);
    if (logId !== undefined && (a.result.kind === 'count' || a.result.kind === 'log')) a.result.logId = logId;
    return a.result;
  });
}

/** The batch's indexes in the order its operations run, which is the order they take their row locks. */
export function lockOrder(ops: WriteOp[]): number[] {
  return ops.map((_, i) => i).sort((a, b) => compare(lockKey(ops[a]), lockKey(ops[b])));
}

/**
 * Operations of one participant stay in arrival order (the sort is stable), so the unit that came first is
 * the one that counts first; counts go before track links, as every writer orders them alike.
 */
function lockKey(op: WriteOp | undefined): string {
  switch (op?.kind) {
    case 'count':
      return `${op.participantId}\u00000`;
    case 'track':
      return `${op.row.participant_id ?? ''}\u00001`;
    default:
      return '';
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
