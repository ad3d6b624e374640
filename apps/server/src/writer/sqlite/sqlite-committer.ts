import type { Worker } from 'node:worker_threads';
import type { WriteOp, WriteResult } from '../operations.js';
import type { Committer } from '../ports.js';
import { decodeResults, encodeOps } from './batch-codec.js';
import { startThread, threadFailure } from './thread.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import type { WorkerReply, WorkerRequest } from './worker-messages.js';

type InFlight = { resolve: (results: WriteResult[]) => void; reject: (error: Error) => void };

/**
 * Hands each batch to the SQLite writer thread (writer-worker.ts), which owns the write connection. It
 * takes batches while one commits: those commit together when it ends.
 */
export class SqliteThreadCommitter implements Committer {
  readonly takesWhileCommitting = true;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly failureListeners: ((error: Error) => void)[] = [];
  private readonly commitListeners: ((operations: number) => void)[] = [];
  private nextId = 1;
  private closing = false;
  private exited = false;
  private stopped: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    /** Copies the WAL back into the database: the writer's connection leaves that off its commits. */
    private readonly checkpointer: WalCheckpointer,
  ) {
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (error) => this.fail(threadFailure('writer', error)));
    worker.on('exit', (code) => {
      this.exited = true;
      if (!this.closing) this.fail(new Error(`the writer thread exited with code ${code}`));
    });
  }

  static async start(file: string): Promise<SqliteThreadCommitter> {
    let committer: SqliteThreadCommitter | undefined;
    // The checkpoint thread may fail while the writer thread starts: its failure is kept for the committer.
    let early: Error | undefined;
    const checkpointer = await WalCheckpointer.start(file, (error) => {
      if (committer) committer.stop(error);
      else early ??= error;
    });
    try {
      const worker = await startThread('writer-worker', { file, wal: checkpointer.watch });
      committer = new SqliteThreadCommitter(worker, checkpointer);
      if (early) committer.stop(early);
      return committer;
    } catch (error) {
      await checkpointer.close();
      throw error;
    }
  }

  commit(ops: WriteOp[]): Promise<WriteResult[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.inFlight.set(id, { resolve, reject });
      this.worker.postMessage({ id, ops: encodeOps(ops) } satisfies WorkerRequest);
    });
  }

  onCommit(listener: (operations: number) => void): void {
    this.commitListeners.push(listener);
  }

  /** A listener that comes after the failure is told at once. */
  onFailure(listener: (error: Error) => void): void {
    if (this.stopped) listener(this.stopped);
    else this.failureListeners.push(listener);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (!this.exited) {
      const exited = new Promise((resolve) => this.worker.once('exit', resolve));
      this.worker.postMessage({ id: this.nextId++, close: true });
      await exited;
    }
    await this.checkpointer.close();
  }

  private settle(reply: WorkerReply): void {
    const results = 'error' in reply ? [] : decodeResults(reply.results);
    if (!('error' in reply)) {
      for (const operations of reply.transactions)
        for (const listener of this.commitListeners) listener(operations);
    }
    let from = 0;
    reply.ids.forEach((id, i) => {
      const size = reply.sizes[i] ?? 0;
      const pending = this.inFlight.get(id);
      this.inFlight.delete(id);
      if ('error' in reply) pending?.reject(new Error(reply.error));
      else pending?.resolve(results.slice(from, from + size));
      from += size;
    });
  }

  /**
   * The writer thread is gone: whether its last batches committed cannot be known, so they fail (a 503,
   * which the host retries; a retried count is a duplicate, not a second count).
   */
  private fail(error: Error): void {
    for (const pending of this.inFlight.values()) pending.reject(error);
    this.inFlight.clear();
    this.stop(error);
  }

  /**
   * Nothing new may be written (the checkpoint thread is gone, and the WAL would grow without bound), but
   * the writer thread lives: the batches it holds commit, and answer what they did, as the process stops.
   */
  private stop(error: Error): void {
    this.stopped ??= error;
    for (const listener of this.failureListeners.splice(0)) listener(error);
  }
}
