import pg from 'pg';
import { CHANNEL, type ClusterMessage, notifyPayloads } from '../../cluster/cluster-bus.js';
import { postgresClientConfig } from '../../db/database.js';
import { commitBatch, type WriteConnection } from '../commit-batch.js';
import type { WriteOp, WriteResult } from '../operations.js';
import { LOG_COLUMNS, postgresSql, type StatementName } from '../statements.js';
import type { Committer } from '../writer.js';

/**
 * Held from taking log ids to commit, so that log ids grow in commit order across processes: a live log
 * client that resumed after id n can then never miss a row committed later with a smaller id.
 */
const LOG_ORDER_LOCK = 0x70726f6f66;
const NEXT_LOG_IDS =
  "select nextval(pg_get_serial_sequence('callback_log', 'id')) as id from generate_series(1, $1)";
const LOG_TYPES = ['text', 'bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'text'];
const INSERT_LOGS = `insert into callback_log (id, ${LOG_COLUMNS.join(', ')})
  select * from unnest($1::bigint[], ${LOG_TYPES.map((type, i) => `$${i + 2}::${type}[]`).join(', ')})`;

/** Deadlock and serialization failure: another writer got there first; the batch is simply run again. */
const TRANSIENT = new Set(['40P01', '40001']);

/**
 * This process's writer on PostgreSQL: one connection of its own, one transaction per batch. Each process
 * runs one; what makes their counts exact together is the locking in `postgresSql` and the lock order in
 * `commitBatch`. The batch's live events are notified inside its transaction, so the other processes hear
 * of them exactly at commit. A broken connection fails its batch (503) and is opened again for the next.
 */
export class PostgresCommitter implements Committer {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;

  constructor(
    private readonly url: string,
    private readonly processId: string,
  ) {}

  async commit(ops: WriteOp[]): Promise<WriteResult[]> {
    const client = await this.connect();
    return commitBatch(this.connection(client), ops);
  }

  /** Never called: a broken connection is opened again for the next batch, so this committer never fails for good. */
  onFailure(): void {}

  async close(): Promise<void> {
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client(postgresClientConfig(this.url));
      client.on('error', () => {
        if (this.client === client) this.client = undefined;
      });
      try {
        await client.connect();
        this.client = client;
        return client;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  private connection(client: pg.Client): WriteConnection {
    const query = <Row extends pg.QueryResultRow>(name: StatementName, values: unknown[]) =>
      client.query<Row>({ name, text: postgresSql[name], values });
    const broken = (error: unknown) => {
      // Without an SQLSTATE the connection itself failed: give it up so the next batch opens a new one.
      if (!(error as { code?: unknown }).code) this.dropClient(client);
      throw error;
    };
    return {
      one: async <Row>(name: StatementName, params: unknown[]) =>
        (await query(name, params).catch(broken)).rows[0] as Row | undefined,
      all: async <Row>(name: StatementName, params: unknown[]) =>
        (await query(name, params).catch(broken)).rows as Row[],
      run: async (name, params) => (await query(name, params).catch(broken)).rowCount ?? 0,
      begin: async () => void (await client.query('begin').catch(broken)),
      insertLogs: async (rows) => {
        await client.query('select pg_advisory_xact_lock($1)', [LOG_ORDER_LOCK]).catch(broken);
        const taken = await client
          .query<{ id: number }>({ name: 'nextLogIds', text: NEXT_LOG_IDS, values: [rows.length] })
          .catch(broken);
        const ids = taken.rows.map((r) => r.id).sort((a, b) => a - b);
        const columns = LOG_COLUMNS.map((c) => rows.map((row) => row[c]));
        await client
          .query({ name: 'insertLogs', text: INSERT_LOGS, values: [ids, ...columns] })
          .catch(broken);
        return ids;
      },
      beforeCommit: async (ops, results) => {
        for (const message of liveMessages(ops, results)) {
          for (const payload of notifyPayloads(this.processId, message)) {
            await client.query('select pg_notify($1, $2)', [CHANNEL, payload]).catch(broken);
          }
        }
      },
      commit: async () => void (await client.query('commit').catch(broken)),
      rollback: async () => void (await client.query('rollback')),
      isTransient: (error) => TRANSIENT.has(String((error as { code?: unknown }).code)),
    };
  }

  private dropClient(client: pg.Client): void {
    if (this.client === client) this.client = undefined;
    client.end().catch(() => {});
  }
}

/** What the batch shows on live streams: log rows per project, and progress per participant. */
function liveMessages(ops: WriteOp[], results: WriteResult[]): ClusterMessage[] {
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
