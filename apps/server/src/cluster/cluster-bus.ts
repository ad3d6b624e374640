import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { type Db, postgresClientConfig } from '../db/database.js';

/** Whose live streams a revocation ends: a host's, a participant's, or a project's logs. */
export type Revocable = 'host' | 'participant' | 'project';

/**
 * What one server process tells the others sharing its database: a cached row changed, or a commit holds
 * something a live stream shows. Ids only: the receivers read the rows themselves.
 */
export type ClusterMessage =
  | { kind: 'forget'; what: 'keys' | 'schedule'; id: string }
  /** A website was added, edited or removed: its origin and its link change. */
  | { kind: 'forget'; what: 'websites' }
  /** A draft's tasks were replaced or the draft deleted: its old task ids are no more. */
  | { kind: 'forget'; what: 'tasks' }
  | { kind: 'logged'; projectIds: string[] }
  | { kind: 'progressed'; participantIds: string[] }
  /** A host's sessions or a participant's tokens were revoked, or a project deleted: their open live streams end. */
  | { kind: 'revoked'; who: Revocable; id: string }
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
 * How often the listening connection must answer a query, and how long it may take. A connection that the
 * network drops without a word (a NAT or firewall forgetting an idle flow, a partition) raises no error:
 * without this, the process would go on answering ready while it heard nothing, until TCP's keepalive
 * noticed hours later. The query also keeps the flow from looking idle.
 */
const HEARTBEAT_MS = 5000;
const HEARTBEAT_TIMEOUT_MS = 5000;

/** How the listening connection shows in pg_stat_activity. */
export const LISTENER_NAME = 'proofdrop listener';

/**
 * LISTEN/NOTIFY on one channel. A notification is delivered at its transaction's commit, to every
 * listening process, in commit order; each process ignores its own, which it has already acted on.
 */
export class PostgresBus implements ClusterBus {
  readonly processId = randomUUID();
  private readonly listeners: ClusterListener[] = [];
  private client: pg.Client | undefined;
  /** The listening connection's socket, ours so that a dead one can be dropped without a goodbye. */
  private socket: net.Socket | undefined;
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
    const socket = new net.Socket();
    const client = new pg.Client({
      ...postgresClientConfig(this.url),
      application_name: LISTENER_NAME,
      stream: () => socket,
    });
    client.on('notification', (n) => this.receive(n.payload));
    client.on('error', (error) => {
      // A connection already given up (its socket dropped after a silent heartbeat) says so once more.
      if (this.client !== client) return;
      this.onError(error);
      void this.reconnect(client);
    });
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
    } catch (error) {
      socket.destroy();
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.socket = socket;
    this.watch(client);
  }

  private watch(client: pg.Client): void {
    const heartbeat = setInterval(() => {
      if (this.client !== client) {
        clearInterval(heartbeat);
        return;
      }
      answers(client, HEARTBEAT_TIMEOUT_MS).catch((error: Error) => {
        if (this.client !== client || this.closed) return;
        this.onError(new Error(`the listening connection did not answer: ${error.message}`));
        void this.reconnect(client);
      });
    }, HEARTBEAT_MS);
    heartbeat.unref();
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
    // Dropped, not ended: a goodbye on a connection the network lost would wait for TCP to give up.
    this.socket?.destroy();
    this.socket = undefined;
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

/** Rejects unless the connection answers a query within `timeoutMs`. */
async function answers(client: pg.Client, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([client.query('select 1'), silence]);
  } finally {
    clearTimeout(timer);
  }
}
