import type { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import { startThread, threadFailure } from './thread.js';

export type CheckpointSettings = {
  /** How often the checkpoint thread copies the WAL back into the database. */
  intervalMs: number;
  /** WAL pages past which the writer, between two batches, has the WAL started over. */
  restartFrames: number;
};

/** About 40 MB of 4 KB pages: a second or more of the heaviest load between restarts. */
const DEFAULTS: CheckpointSettings = { intervalMs: 100, restartFrames: 10_000 };

/** A restart waits this long at most for the main thread's reads and writes; it is tried again later. */
const RESTART_WAIT_MS = 20;

/**
 * What the checkpoint thread and the writer thread share: the WAL's length in pages at the last
 * checkpoint (one Int32 in shared memory), and the length past which the writer starts it over.
 */
export type WalWatch = { frames: SharedArrayBuffer; restartFrames: number };

/**
 * The thread that checkpoints the WAL (checkpoint-worker.ts) for connections opened with automatic
 * checkpoints off. It lives as long as the writer; if it dies, the WAL would grow without bound, so its
 * failure is the writer's.
 */
export class WalCheckpointer {
  private closing = false;
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    readonly watch: WalWatch,
  ) {}

  static async start(
    file: string,
    onFailure: (error: Error) => void,
    settings: Partial<CheckpointSettings> = {},
  ): Promise<WalCheckpointer> {
    const { intervalMs, restartFrames } = { ...DEFAULTS, ...settings };
    const watch: WalWatch = { frames: new SharedArrayBuffer(4), restartFrames };
    const checkpointer = new WalCheckpointer(
      await startThread('checkpoint-worker', { file, intervalMs, frames: watch.frames }),
      watch,
    );
    checkpointer.worker.on('error', (error) => onFailure(threadFailure('checkpoint', error)));
    checkpointer.worker.on('exit', (code) => {
      checkpointer.exited = true;
      if (!checkpointer.closing) onFailure(new Error(`the checkpoint thread exited with code ${code}`));
    });
    return checkpointer;
  }

  async close(): Promise<void> {
    if (this.closing || this.exited) return;
    this.closing = true;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage('close');
    await exited;
  }
}

/**
 * For the writer's thread, to call between batches. The checkpoint thread's PASSIVE checkpoints copy the
 * WAL back without blocking anyone, and once all of it is copied the next commit starts the WAL over from
 * its beginning; but under a steady load a commit lands while each checkpoint copies, and the WAL would
 * grow for as long as the load lasts. Past `restartFrames`, the writer itself, holding no transaction,
 * runs a RESTART checkpoint: it copies the few pages committed since the last PASSIVE one and makes the
 * next commit start the WAL over. If the main thread holds the database longer than RESTART_WAIT_MS, the
 * restart is tried again after a later batch.
 */
export function walRestarter(db: SQLite.Database, watch: WalWatch): () => void {
  const frames = new Int32Array(watch.frames);
  const usualWait = db.pragma('busy_timeout', { simple: true }) as number;
  return () => {
    if (Atomics.load(frames, 0) <= watch.restartFrames) return;
    Atomics.store(frames, 0, 0);
    db.pragma(`busy_timeout = ${RESTART_WAIT_MS}`);
    try {
      db.pragma('wal_checkpoint(RESTART)');
    } finally {
      db.pragma(`busy_timeout = ${usualWait}`);
    }
  };
}
