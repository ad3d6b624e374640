/*
 * How a callback becomes a durable row (the ports are declared in ports.ts):
 *
 *   callbacks.service       judges the callback, then writer.submit({ kind: 'count', … })
 *        │
 *   Writer (this file)      queues operations for one turn of the event loop: one batch
 *        │ Committer.commit(batch)
 *   sqlite/                 posts the batch to the writer thread (writer-worker.ts), which owns the file
 *                           and commits the batches that waited for it together
 *   postgres/               or sends it whole to proofdrop_write_batch, which does what follows in the database
 *        │ commitBatch(WriteConnection, batch)
 *   commit-batch.ts         BEGIN; each operation in lock order; log rows; COMMIT (one by one on error)
 *        │ applyOp(WriteStore, op)
 *   apply.ts                the count's rules under the write lock: named statements from statements.ts
 *        │
 *   task_progress, callback_log, webhook_messages … committed together; only then does submit() resolve.
 */
import { AppError } from '../errors.js';
import type { WriteOp, WriteResult } from './operations.js';
import type { Committer, WriteQueue } from './ports.js';

type Pending = { op: WriteOp; resolve: (result: WriteResult) => void; reject: (error: Error) => void };

export type WriterOptions = {
  maxQueue: number;
  maxBatch?: number;
  /** For metrics: told the operations of each transaction committed… */
  observeCommit?: (operations: number) => void;
  /** …and for each batch handed over, how long from then until it was durable. */
  observeWait?: (seconds: number) => void;
};

/** `queued`: operations not yet durable, handed over or not; `batches`: batches handed over. */
export type WriterStats = { queued: number; batches: number; committed: number; largestBatch: number };

/**
 * Group commit: operations queue here for a turn of the event loop and go to the committer as one batch.
 * A committer that takes batches while one commits (SQLite's thread) gets one every turn and commits
 * those that waited together; otherwise (PostgreSQL) the next batch gathers here while one commits. Each
 * caller's promise settles only once its operation is durable. Operations not yet durable past `maxQueue`
 * answer 429 rather than growing without end.
 */
export class Writer implements WriteQueue {
  private readonly queue: Pending[] = [];
  private committing = 0;
  private inFlight = 0;
  private scheduled = false;
  private failure: Error | undefined;
  private readonly failureListeners: ((error: Error) => void)[] = [];
  private closing: Promise<void> | undefined;
  readonly stats: WriterStats = { queued: 0, batches: 0, committed: 0, largestBatch: 0 };

  constructor(
    private readonly committer: Committer,
    private readonly options: WriterOptions,
  ) {
    committer.onFailure((error) => this.fail(error));
    committer.onCommit((operations) => this.options.observeCommit?.(operations));
  }

  submit(op: WriteOp): Promise<WriteResult> {
    if (this.failure || this.closing) {
      return Promise.reject(new AppError('unavailable', 'storage is unavailable; try again shortly'));
    }
    if (this.queue.length + this.inFlight >= this.options.maxQueue) {
      return Promise.reject(new AppError('rate_limited', 'the server is busy; retry after a second'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      this.stats.queued = this.queue.length + this.inFlight;
      if (this.mayHandOver()) this.scheduleFlush();
    });
  }

  /** Whether a batch may go now: none is committing, or the committer takes one while another commits. */
  private mayHandOver(): boolean {
    return this.committing === 0 || this.committer.takesWhileCommitting;
  }

  /** Waits for the rest of this event-loop turn, so that its requests share the batch. */
  private scheduleFlush(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** Waits for everything queued to commit, then closes the committer. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      while ((this.queue.length > 0 || this.committing > 0) && !this.failure) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await this.committer.close();
    })();
    return this.closing;
  }

  private async flush(): Promise<void> {
    if (this.queue.length === 0 || this.failure || !this.mayHandOver()) return;
    const batch = this.queue.splice(0, this.options.maxBatch ?? 1000);
    this.committing++;
    this.inFlight += batch.length;
    // What a full batch left goes at the next turn, if the committer takes it while this one commits.
    if (this.queue.length > 0 && this.mayHandOver()) this.scheduleFlush();
    const started = performance.now();
    try {
      const results = await this.committer.commit(batch.map((p) => p.op));
      this.stats.batches++;
      this.stats.committed += batch.length;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
      this.options.observeWait?.((performance.now() - started) / 1000);
      batch.forEach((pending, i) => {
        const result = results[i] as WriteResult;
        if (result.kind === 'error')
          pending.reject(new AppError('unavailable', 'storage failed to write; try again shortly'));
        else pending.resolve(result);
      });
    } catch {
      const error = new AppError('unavailable', 'storage failed to commit; try again shortly');
      for (const pending of batch) pending.reject(error);
    } finally {
      this.committing--;
      this.inFlight -= batch.length;
      this.stats.queued = this.queue.length + this.inFlight;
    }
    // What queued during that commit goes at once: it has already waited one commit.
    void this.flush();
  }

  /** Why the writer can never commit again (its thread died, its connection is gone), or undefined. */
  get stoppedBy(): Error | undefined {
    return this.failure;
  }

  /** Called once if the writer stops for good: nothing can be written until the process restarts. */
  onFailure(listener: (error: Error) => void): void {
    if (this.failure) listener(this.failure);
    else this.failureListeners.push(listener);
  }

  private fail(error: Error): void {
    if (!this.failure) for (const listener of this.failureListeners.splice(0)) listener(error);
    this.failure ??= error;
    for (const pending of this.queue.splice(0))
      pending.reject(new AppError('unavailable', 'storage is unavailable; try again shortly'));
  }
}
