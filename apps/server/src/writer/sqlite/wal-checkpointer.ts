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

/**
 * A long WAL is copied back pass after pass until a pass finds fewer new pages than this (~10 ms of the
 * heaviest load): the restart, which stops every commit while it copies what is left and syncs the file,
 * then has little left to copy.
 */
const SETTLED_FRAMES = 256;

/**
 * What the checkpoint thread and the writer thread share, two Int32s in shared memory: the WAL's length in
 * pages at the last checkpoint (FRAMES), and whether that checkpoint found it grown by fewer than
 * SETTLED_FRAMES since the one before (SETTLED, 1 or 0); and the length past which the writer starts it over.
 */
export type WalWatch = { frames: SharedArrayBuffer; restartFrames: number };
export const FRAMES = 0;
export const SETTLED = 1;

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
    const watch: WalWatch = {
      frames: new SharedArrayBuffer((SETTLED + 1) * Int32Array.BYTES_PER_ELEMENT),
      restartFrames,
    };
    const checkpointer = new WalCheckpointer(
      await startThread('checkpoint-worker', { file, intervalMs, watch }),
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

type Checkpoint = { busy: number; log: number; checkpointed: number };

/**
 * For the checkpoint thread: one pass is a PASSIVE checkpoint, then `syncDatabase` if it copied pages, then
 * the WAL's length and whether it has settled published to `watch` for the writer. Answers whether to
 * pass again at once (a long WAL not yet settled). SQLite answers how many of the WAL's pages have been
 * copied so far, so an idle WAL answers the same count at every pass: it is synced once, not ten times a
 * second for as long as the server idles. (A WAL started over that happens to reach the same count is
 * left to the restart's sync, as before this thread synced at all: SQLite syncs what a pass copies when
 * it copies the whole WAL, and this sync only keeps the restart short.)
 */
export function walPasser(db: SQLite.Database, watch: WalWatch, syncDatabase: () => void): () => boolean {
  const shared = new Int32Array(watch.frames);
  let previousLength = 0;
  let previousCopied = 0;
  return () => {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Checkpoint[];
    const copied = result?.checkpointed ?? 0;
    const length = result?.log ?? 0;
    if (copied > 0 && copied !== previousCopied) syncDatabase();
    previousCopied = copied;
    const long = length > watch.restartFrames;
    const settled = long && length >= previousLength && length - previousLength < SETTLED_FRAMES;
    previousLength = length;
    Atomics.store(shared, SETTLED, settled ? 1 : 0);
    Atomics.store(shared, FRAMES, length);
    return long && !settled;
  };
}

/**
 * For the writer's thread, to call between batches. The checkpoint thread's PASSIVE checkpoints copy the
 * WAL back without blocking anyone, and once all of it is copied the next commit starts the WAL over from
 * its beginning; but under a steady load a commit lands while each checkpoint copies, and the WAL would
 * grow for as long as the load lasts. Past `restartFrames`, the writer itself, holding no transaction,
 * runs a RESTART checkpoint: it copies the pages committed since the last PASSIVE one, syncs the database
 * and makes the next commit start the WAL over, while no commit runs. So it waits until the checkpoint
 * thread, passing again and again over a long WAL, has settled (few pages left behind a pass), unless the
 * WAL has grown to twice the threshold; and it never waits for the main thread's reads and writes: with
 * one in the way it copies what it can and is tried again after the next batch, where SQLite's busy wait
 * would sleep 1, 2, 5, 10… ms at a time for a read that takes well under one.
 */
export function walRestarter(db: SQLite.Database, watch: WalWatch): () => void {
  const frames = new Int32Array(watch.frames);
  const usualWait = db.pragma('busy_timeout', { simple: true }) as number;
  return () => {
    const length = Atomics.load(frames, FRAMES);
    if (length <= watch.restartFrames) return;
    if (Atomics.load(frames, SETTLED) !== 1 && length <= 2 * watch.restartFrames) return;
    db.pragma('busy_timeout = 0');
    try {
      const [result] = db.pragma('wal_checkpoint(RESTART)') as { busy: number }[];
      if (result?.busy !== 0) return;
    } finally {
      db.pragma(`busy_timeout = ${usualWait}`);
    }
    Atomics.store(frames, FRAMES, 0);
    Atomics.store(frames, SETTLED, 0);
  };
}
