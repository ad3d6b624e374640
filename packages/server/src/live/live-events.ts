import { EventEmitter } from 'node:events';

/**
 * What happened, for the live streams: a callback-log row committed, a participant's progress changed.
 * In-process: the writer's commits are announced here by the services that await them.
 */
export class LiveEvents<LogEntry extends { id: number }> {
  private readonly emitter = new EventEmitter();
  private clients = 0;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** `entry` is built only when someone listens: most callbacks have no live viewer. */
  logged(projectId: string, entry: () => LogEntry): void {
    const name = `log ${projectId}`;
    if (this.emitter.listenerCount(name) > 0) this.emitter.emit(name, entry());
  }

  progressed(participantId: string): void {
    this.emitter.emit(`progress ${participantId}`);
  }

  onLog(projectId: string, listener: (entry: LogEntry) => void): () => void {
    return this.subscribe(`log ${projectId}`, listener);
  }

  onProgress(participantId: string, listener: () => void): () => void {
    return this.subscribe(`progress ${participantId}`, listener);
  }

  get connectedClients(): number {
    return this.clients;
  }

  private subscribe(name: string, listener: (entry: LogEntry) => void): () => void {
    this.emitter.on(name, listener);
    this.clients++;
    return () => {
      this.emitter.off(name, listener);
      this.clients--;
    };
  }
}
