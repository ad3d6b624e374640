import { Worker } from 'node:worker_threads';
import type { WriteOp, WriteResult } from '../operations.js';
import type { Committer } from '../ports.js';
import type { WorkerReply } from './worker-messages.js';

type InFlight = { resolve: (results: WriteResult[]) => void; reject: (error: Error) => void };

/** Hands each batch to the SQLite writer thread (writer-worker.ts), which owns the write connection. */
export class SqliteThreadCommitter implements Committer {
  private readonly inFlight = new Map<number, InFlight>();
  private readonly failureListeners: ((error: Error) => void)[] = [];
  private nextId = 1;
  private closing = false;
  private exited = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      this.exited = true;
      if (!this.closing) this.fail(new Error(`the writer thread exited with code ${code}`));
    });
  }

  static async start(file: string): Promise<SqliteThreadCommitter> {
    const workerData = { file };
    // The built server runs plain JavaScript; tests run the TypeScript sources, through tsx.
    const worker = import.meta.url.endsWith('.ts')
      ? new Worker(
          `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(
            new URL('./writer-worker.ts', import.meta.url).href,
          )}); })`,
          { eval: true, workerData },
        )
      : new Worker(new URL('./writer-worker.js', import.meta.url), { workerData });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new SqliteThreadCommitter(worker);
  }

  commit(ops: WriteOp[]): Promise<WriteResult[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.inFlight.set(id, { resolve, reject });
      this.worker.postMessage({ id, ops });
    });
  }

  onFailure(listener: (error: Error) => void): void {
    this.failureListeners.push(listener);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.exited) return;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage({ id: this.nextId++, close: true });
    await exited;
  }

  private settle(reply: WorkerReply): void {
    const pending = this.inFlight.get(reply.id);
    if (!pending) return;
    this.inFlight.delete(reply.id);
    if ('error' in reply) pending.reject(new Error(reply.error));
    else pending.resolve(reply.results);
  }

  private fail(error: Error): void {
    for (const pending of this.inFlight.values()) pending.reject(error);
    this.inFlight.clear();
    for (const listener of this.failureListeners.splice(0)) listener(error);
  }
}
