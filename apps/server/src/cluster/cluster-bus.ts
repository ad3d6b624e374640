import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { type Db, postgresClientConfig } from '../db/database.js';

/**
 * What one server process tells the others sharing its database: a cached row changed, or a commit holds
 * something a live stream shows. Ids only: the receivers read the rows themselves.
 */
export type ClusterMessage =
  | { kind: 'forget'; what: 'keys' | 'schedule'; id: string }
  /** A website was added, edited or removed: its origin and its link change. */
  | { kind: 'forget'; what: 'websites' }
  | { kind: 'logged'; projectIds: string[] }
  | { kind: 'progressed'; participantIds: string[] }
  /** A published giveaway's public answer changed: its host ended, drew or edited it. */
  | { kind: 'changed'; giveawayId: string }
  /** Sent to this process only, after its listener reconnects: whatever it missed must be read afresh. */
  | { kind: 'reset' };

export type ClusterListener = (message: ClusterMessage) => void;

export interface ClusterBus {
  /** Resolves once the others are told (or, alone, at once). */
  publish(message: ClusterMessage): Promise<void>;
  subscribe(listener: ClusterListener): void;
  /** False while changes made by other processes cannot reach this one. */
  readonly listening: boolean;
  close(): Promise<void>;
}

/** SQLite means one process: there is nobody to tell. */
export class SingleProcessBus implements ClusterBus {
  readonly listening = true;
  async publish(): Promise<void> {}
  subscribe(): void {}
  async close(): Promise<void> {}
}

export const CHANNEL = 'proofdrop';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7900;

type Envelope = { from: string; message: ClusterMessage };

/**
 * The payloads that carry `message` from process `from`, split so each fits a NOTIFY. Lists are split
 * by their ids; nothing else grows.
 */
export function notifyPayloads(from: string, message: ClusterMessage): string[] {
  const whole = JSON.stringify({ from, message } satisfies Envelope);
  if (whole.length <= MAX_PAYLOAD) return [whole];
  const [key, ids] =
    message.kind === 'logged'
      ? (['projectIds', message.projectIds] as const)
      : message.kind === 'progressed'
        ? (['participantIds', message.participantIds] as const)
        : (['', []] as const);
  if (ids.length < 2) throw new Error(`a ${message.kind} notification is too large to send`);
  const half = Math.ceil(ids.length / 2);
  return [ids.slice(0, half), ids.slice(half)].flatMap((part) =>
    notifyPayloads(from, { ...message, [key]: part } as ClusterMessage),
  );
}

const RECONNECT_MS = [100, 500, 1000, 2000, 5000];

/**
 * LISTEN/NOTIFY on one channel. A notification is delivered at its transaction's commit, to every
 * listening process, in commit order; each process ignores its own, which it has already acted on.
 */
export class PostgresBus implements ClusterBus {
  readonly processId = randomUUID();
  private readonly listeners: ClusterListener[] = [];
  private client: pg.Client | undefined;
  private closed = false;

  private constructor(
    private readonly url: string,
    private readonly db: Db,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Listens on a connection of its own; notifies through the process's pool (`db`). */
  static async start(url: string, db: Db, onError: (error: Error) => void): Promise<PostgresBus> {
    const bus = new PostgresBus(url, db, onError);
    await bus.listen();
    return bus;
  }

  async publish(message: ClusterMessage): Promise<void> {
    for (const payload of notifyPayloads(this.processId, message)) {
      await sql`select pg_notify(${CHANNEL}, ${payload})`.execute(this.db);
    }
  }

  subscribe(listener: ClusterListener): void {
    this.listeners.push(listener);
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => {});
  }

  private async listen(): Promise<void> {
    const client = new pg.Client(postgresClientConfig(this.url));
    client.on('notification', (n) => this.receive(n.payload));
    client.on('error', (error) => {
      this.onError(error);
      void this.reconnect(client);
    });
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) await client.end().catch(() => {});
    else this.client = client;
  }

  private receive(payload: string | undefined): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload ?? '') as Envelope;
    } catch {
      return;
    }
    if (envelope.from === this.processId) return;
    this.emit(envelope.message);
  }

  private emit(message: ClusterMessage): void {
    for (const listener of this.listeners) listener(message);
  }

  /** Notifications sent while no connection listened are gone: after reconnecting, everyone re-reads. */
  private async reconnect(broken: pg.Client): Promise<void> {
    if (this.client !== broken || this.closed) return;
    this.client = undefined;
    await broken.end().catch(() => {});
    for (let attempt = 0; !this.closed; attempt++) {
      await new Promise((resolve) =>
        setTimeout(resolve, RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)]),
      );
      try {
        await this.listen();
        this.emit({ kind: 'reset' });
        return;
      } catch (error) {
        this.onError(error as Error);
      }
    }
  }
}
