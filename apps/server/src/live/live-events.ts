import { EventEmitter } from 'node:events';
import type { ClusterBus, ClusterMessage, Revocable } from '../cluster/cluster-bus.js';

/**
 * What happened, for the live streams: a callback-log row committed, a participant's progress changed, a
 * giveaway's public answer changed. This process's commits are announced here by the services that await
 * them; other processes' commits arrive through the cluster bus.
 *
 * A log listener gets either the entry, or `undefined`: rows were committed that it must read from the
 * database, after the last id it sent. With several processes every announcement is of that second kind,
 * since only the database knows the order in which all of their rows were committed.
 */
export class LiveEvents<LogEntry extends { id: number }> {
  private readonly emitter = new EventEmitter();
  private clients = 0;

  constructor(
    private readonly bus: ClusterBus,
    private readonly sharedDatabase: boolean,
  ) {
    this.emitter.setMaxListeners(0);
    bus.subscribe((message) => this.hear(message));
  }

  /** `entry` is built only when someone listens: most callbacks have no live viewer. */
  logged(projectId: string, entry: () => LogEntry): void {
    const name = `log ${projectId}`;
    if (this.emitter.listenerCount(name) > 0)
      this.emitter.emit(name, this.sharedDatabase ? undefined : entry());
  }

  progressed(participantId: string): void {
    this.emitter.emit(`progress ${participantId}`);
  }

  /**
   * After the commit of a change to an entry that no callback made (its address proven): this process's
   * streams hear it at once, the other processes' once the notification reaches them.
   */
  entryChanged(participantId: string): Promise<void> {
    const message: ClusterMessage = { kind: 'progressed', participantIds: [participantId] };
    this.hear(message);
    return this.bus.publish(message);
  }

  /**
   * After the commit of a host's change to a published giveaway (end, draw, edit): this process's streams
   * hear it at once, the other processes' once the notification reaches them.
   */
  giveawayChanged(giveawayId: string): Promise<void> {
    const message = { kind: 'changed', giveawayId } as const;
    this.hear(message);
    return this.bus.publish(message);
  }

  /**
   * After the commit of a revocation (a host's sessions, a participant's tokens, a project's deletion): the
   * streams a revoked credential opened would otherwise go on, since a stream is authorised once, when it
   * opens. Every stream of that host, participant or project ends, here and in the other processes; their
   * clients reconnect with what is still valid.
   */
  revoked(who: Revocable, id: string): Promise<void> {
    const message: ClusterMessage = { kind: 'revoked', who, id };
    this.hear(message);
    return this.bus.publish(message);
  }

  /** Not counted among the clients: each stream that listens is counted by its own log or progress listener. */
  onRevoked(who: Revocable, id: string, listener: () => void): () => void {
    const name = `revoked ${who} ${id}`;
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  onLog(projectId: string, listener: (entry: LogEntry | undefined) => void): () => void {
    return this.subscribe(`log ${projectId}`, listener);
  }

  onProgress(participantId: string, listener: () => void): () => void {
    return this.subscribe(`progress ${participantId}`, listener);
  }

  /**
   * Not counted among the clients: the giveaway feed listens once per giveaway, for all the streams of
   * this process that show it, and each of those streams is counted by its own progress listener.
   */
  onGiveaway(giveawayId: string, listener: () => void): () => void {
    const name = `giveaway ${giveawayId}`;
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  get connectedClients(): number {
    return this.clients;
  }

  private hear(message: ClusterMessage): void {
    switch (message.kind) {
      case 'logged':
        for (const id of message.projectIds) this.emitter.emit(`log ${id}`, undefined);
        break;
      case 'progressed':
        for (const id of message.participantIds) this.emitter.emit(`progress ${id}`);
        break;
      case 'changed':
        this.emitter.emit(`giveaway ${message.giveawayId}`);
        break;
      case 'revoked':
        this.emitter.emit(`revoked ${message.who} ${message.id}`);
        break;
      case 'reset':
        for (const name of this.emitter.eventNames()) this.emitter.emit(name, undefined);
        break;
    }
  }

  private subscribe(name: string, listener: (entry: LogEntry | undefined) => void): () => void {
    this.emitter.on(name, listener);
    this.clients++;
    return () => {
      this.emitter.off(name, listener);
      this.clients--;
    };
  }
}
