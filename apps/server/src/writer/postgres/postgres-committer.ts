import pg from 'pg';
import { CHANNEL } from '../../cluster/cluster-bus.js';
import { postgresClientConfig } from '../../db/database.js';
import { type CountOutcome, countMessage } from '../../giveaways/progress.js';
import { lockOrder } from '../commit-batch.js';
import type { WriteOp, WriteResult } from '../operations.js';
import type { Committer } from '../ports.js';

/**
 * A whole batch in one round trip: the migration 2026-11-28-postgres-write-batch installs the function,
 * which runs as one statement outside any transaction block, so PostgreSQL commits it when it returns.
 */
const WRITE_BATCH = 'select * from proofdrop_write_batch($1, $2, $3, $4, $5)';

type BatchRow = {
  log_id: number | null;
  code: CountOutcome['code'] | null;
  count: number | null;
  eligible: boolean | null;
  replayed: boolean | null;
  awaiting_proof: boolean | null;
  track_id: string | null;
};

/** Deadlock and serialization failure: another writer got there first; the batch is simply run again. */
const TRANSIENT = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

/**
 * countMessage's sentences as format() templates, for the log rows the function writes: %1$s is the
 * count, %2$s the required amount. Built from countMessage itself, by the outcomes the function can reach,
 * in the order it numbers them.
 */
const COUNT = 1_000_000_007;
const REQUIRED = 2_000_000_011;
const template = (outcome: CountOutcome) =>
  countMessage(outcome, REQUIRED)
    .replaceAll('%', '%%')
    .replaceAll(String(COUNT), '%1$s')
    .replaceAll(String(REQUIRED), '%2$s');
const MESSAGES = [
  template({ code: 'recorded', count: COUNT, eligible: false }),
  template({ code: 'completed', count: REQUIRED, eligible: false, awaitingProof: true }),
  template({ code: 'completed', count: REQUIRED, eligible: true }),
  template({ code: 'completed', count: REQUIRED, eligible: false }),
  template({ code: 'giveaway_not_live', count: 0, eligible: false }),
  template({ code: 'duplicate', count: COUNT, eligible: false, replayed: true }),
  template({ code: 'duplicate', count: REQUIRED, eligible: false }),
  template({ code: 'duplicate', count: COUNT, eligible: false }),
];

/**
 * This process's writer on PostgreSQL: each batch is one call to `proofdrop_write_batch`, on a connection
 * of the writer's own. What keeps counts exact across processes is that every batch takes its
 * participants' row locks in one order (`lockOrder`) and the log-order lock last, so two batches may run
 * at once without a deadlock; the writer still sends one at a time, as two at once on two connections
 * measured slower on the bench (smaller groups, each waiting for its own WAL flush). A connection that
 * breaks fails its batch (503) and is opened again for the next.
 */
export class PostgresCommitter implements Committer {
  readonly takesWhileCommitting = false;
  private readonly idle: pg.Client[] = [];
  private readonly busy = new Set<pg.Client>();
  private closed = false;
  private readonly commitListeners: ((operations: number) => void)[] = [];

  constructor(
    private readonly url: string,
    private readonly processId: string,
  ) {}

  async commit(ops: WriteOp[]): Promise<WriteResult[]> {
    const client = this.idle.pop() ?? (await this.connect());
    this.busy.add(client);
    let healthy = true;
    try {
      return await this.write(client, ops);
    } catch (error) {
      healthy = false;
      throw error;
    } finally {
      this.busy.delete(client);
      if (healthy && !this.closed) this.idle.push(client);
      else client.end().catch(() => {});
    }
  }

  onCommit(listener: (operations: number) => void): void {
    this.commitListeners.push(listener);
  }

  /** Never called: a broken connection is opened again for the next batch, so this committer never fails for good. */
  onFailure(): void {}

  async close(): Promise<void> {
    this.closed = true;
    const clients = [...this.idle.splice(0), ...this.busy];
    await Promise.all(clients.map((client) => client.end().catch(() => {})));
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client(postgresClientConfig(this.url));
    // A connection that breaks while idle is found out by its next batch; without a listener it would crash us.
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    return client;
  }

  /**
   * Retries a batch that met a deadlock; if it fails otherwise, each operation is written on its own, so
   * one bad operation does not fail its neighbours. Throws only when the connection itself failed.
   */
  private async write(client: pg.Client, ops: WriteOp[]): Promise<WriteResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await client.query<BatchRow>({
          name: 'writeBatch',
          text: WRITE_BATCH,
          values: [JSON.stringify(ops.map(batchEntry)), lockOrder(ops), MESSAGES, CHANNEL, this.processId],
        });
        for (const listener of this.commitListeners) listener(ops.length);
        return ops.map((op, i) => resultOf(op, rows[i] as BatchRow));
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (!code) throw error;
        if (TRANSIENT.has(String(code)) && attempt < ATTEMPTS) continue;
        if (ops.length === 1) {
          return [{ kind: 'error', message: error instanceof Error ? error.message : String(error) }];
        }
        const results: WriteResult[] = [];
        for (const op of ops) results.push(...(await this.write(client, [op])));
        return results;
      }
    }
  }
}

/** An operation as the function reads it: one flat object, with the column names it writes. */
function batchEntry(op: WriteOp): Record<string, unknown> {
  switch (op.kind) {
    case 'log':
      return { kind: op.kind, ...op.log };
    case 'track':
      return { kind: op.kind, ...op.row };
    case 'count':
      return {
        kind: op.kind,
        ...op.log,
        task_id: op.taskId,
        participant_id: op.participantId,
        giveaway_id: op.giveawayId,
        required: op.requiredAmount,
        unit_key: op.unitKey,
        replay_sign: op.replay?.sign,
        replay_expires_at: op.replay?.expiresAt,
      };
  }
}

function resultOf(op: WriteOp, row: BatchRow): WriteResult {
  switch (op.kind) {
    case 'log':
      return { kind: 'log', logId: row.log_id as number };
    case 'track':
      return { kind: 'track', trackId: row.track_id as string };
    case 'count':
      return {
        kind: 'count',
        code: row.code as CountOutcome['code'],
        count: row.count as number,
        eligible: row.eligible === true,
        ...(row.replayed ? { replayed: true } : {}),
        ...(row.awaiting_proof ? { awaitingProof: true } : {}),
        logId: row.log_id as number,
      };
  }
}
