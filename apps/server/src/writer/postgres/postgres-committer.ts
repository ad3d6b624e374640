import pg from 'pg';
import { postgresClientConfig } from '../../db/database.js';
import { commitBatch } from '../commit-batch.js';
import type { WriteOp, WriteResult } from '../operations.js';
import type { Committer } from '../ports.js';
import { postgresWriteConnection } from './postgres-connection.js';

/**
 * This process's writer on PostgreSQL: one connection of its own, one transaction per batch. Each process
 * runs one; what makes their counts exact together is the locking in `postgresSql` and the lock order in
 * `commitBatch`. A broken connection fails its batch (503) and is opened again for the next.
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
    return commitBatch(
      postgresWriteConnection(client, this.processId, (broken) => this.dropClient(broken)),
      ops,
    );
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

  private dropClient(client: pg.Client): void {
    if (this.client === client) this.client = undefined;
    client.end().catch(() => {});
  }
}
