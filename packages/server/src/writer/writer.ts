import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.js';
import type { WorkerReply, WriteOp, WriteResult } from './operations.js';

type Pending = { op: WriteOp; resolve: (result: WriteResult) => void; reject: (error: Error) => void };

export type WriterOptions = {
  file: string;
  maxQueue: number;
  maxBatch?: number;
  /** Told the size of each committed batch and how long its commit took, for metrics. */
  observe?: (size: number, seconds: number) => void;
};

export type WriterStats = { queued: number; batches: number; committed: number; largestBatch: number };

/**
 * Group commit: operations queue here and go to the writer thread as one batch, one transaction, one
 * fsync. While a batch commits, the next one gathers; each caller's promise settles only once its batch
 * is durable. A queue past `maxQueue` answers 429 rather than growing without end.
 */
export class Writer {
  private readonly queue: Pending[] = [];
  private readonly inFlight = new Map<number, Pending[]>();
  private nextId = 1;
  private scheduled = false;
  private sentAt = 0;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  readonly stats: WriterStats = { queued: 0, batches: 0, committed: 0, largestBatch: 0 };

  private constructor(
    private readonly worker: Worker,
    private readonly options: WriterOptions,
  ) {
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`the writer thread exited with code ${code}`));
    });
  }

  static async start(options: WriterOptions): Promise<Writer> {
    const workerData = { file: options.file };
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
    return new Writer(worker, options);
  }

  submit(op: WriteOp): Promise<WriteResult> {
    if (this.failure || this.closing) {
      return Promise.reject(new AppError('unavailable', 'storage is unavailable; try again shortly'));
    }
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(new AppError('rate_limited', 'the server is busy; retry after a second'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      this.stats.queued = this.queue.length;
      if (this.inFlight.size === 0 && !this.scheduled) {
        this.scheduled = true;
        // Wait for the rest of this event-loop turn so its requests share the commit.
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  /** Waits for everything queued to commit, then stops the writer thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      while (this.queue.length > 0 || this.inFlight.size > 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (this.failure) break;
      }
      if (!this.failure) {
        const exited = new Promise((resolve) => this.worker.once('exit', resolve));
        this.worker.postMessage({ id: this.nextId++, close: true });
        await exited;
      }
    })();
    return this.closing;
  }

  private flush(): void {
    if (this.inFlight.size > 0 || this.queue.length === 0 || this.failure) return;
    const batch = this.queue.splice(0, this.options.maxBatch ?? 1000);
    const id = this.nextId++;
    this.inFlight.set(id, batch);
    this.sentAt = performance.now();
    this.stats.queued = this.queue.length;
    this.worker.postMessage({ id, ops: batch.map((p) => p.op) });
  }

  private settle(reply: WorkerReply): void {
    const batch = this.inFlight.get(reply.id);
    if (!batch) return;
    this.inFlight.delete(reply.id);
    if ('error' in reply) {
      const error = new AppError('unavailable', 'storage failed to commit; try again shortly');
      for (const pending of batch) pending.reject(error);
    } else {
      this.stats.batches++;
      this.stats.committed += batch.length;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
      this.options.observe?.(batch.length, (performance.now() - this.sentAt) / 1000);
      batch.forEach((pending, i) => {
        const result = reply.results[i] as WriteResult;
        if (result.kind === 'error')
          pending.reject(new AppError('unavailable', 'storage failed to write; try again shortly'));
        else pending.resolve(result);
      });
    }
    // What queued during that commit goes at once: it has already waited one fsync.
    this.flush();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const lost = [...this.inFlight.values()].flat().concat(this.queue.splice(0));
    this.inFlight.clear();
    for (const pending of lost)
      pending.reject(new AppError('unavailable', 'storage is unavailable; try again shortly'));
  }
}
