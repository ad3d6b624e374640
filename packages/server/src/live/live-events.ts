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

  logged(projectId: string, entry: LogEntry): void {
    this.emitter.emit(`log ${projectId}`, entry);
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
