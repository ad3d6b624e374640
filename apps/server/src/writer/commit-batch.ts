import { type Applied, applyOp } from './apply.js';
import type { LogRow, WriteOp, WriteResult } from './operations.js';
import type { WriteConnection } from './ports.js';

const ATTEMPTS = 3;

/**
 * Commits a batch in one transaction. Operations run in lock order (by participant; a count locks its
 * participant's row before anything else), so that writers in several processes take their row locks in
 * the same order and cannot deadlock each other; answers and log rows keep the order asked. If an
 * operation fails, the batch is rolled back and each operation gets a transaction of its own, so one bad
 * operation does not fail its neighbours.
 */
export async function commitBatch(conn: WriteConnection, ops: WriteOp[]): Promise<WriteResult[]> {
  const order = lockOrder(ops);
  for (let attempt = 1; ; attempt++) {
    try {
      await conn.begin();
      const applied: Applied[] = new Array(ops.length);
      for (const i of order) applied[i] = await applyOp(conn, ops[i] as WriteOp);
      const results = await withLogIds(conn, applied);
      await conn.beforeCommit(ops, results);
      await conn.commit();
      return results;
    } catch (error) {
      await conn.rollback().catch(() => {});
      if (conn.isTransient(error) && attempt < ATTEMPTS) continue;
      if (ops.length === 1) {
        return [{ kind: 'error', message: error instanceof Error ? error.message : String(error) }];
      }
      const results: WriteResult[] = [];
      for (const op of ops) results.push(...(await commitBatch(conn, [op])));
      return results;
    }
  }
}

async function withLogIds(conn: WriteConnection, applied: Applied[]): Promise<WriteResult[]> {
  const logged = applied.filter((a) => a.log !== undefined);
  const ids = logged.length === 0 ? [] : await conn.insertLogs(logged.map((a) => a.log as LogRow));
  const idOf = new Map(logged.map((a, i) => [a, ids[i] as number]));
  return applied.map((a) => {
    const logId = idOf.get(a);
    return logId === undefined || a.result.kind === 'track' || a.result.kind === 'error'
      ? a.result
      : { ...a.result, logId };
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
