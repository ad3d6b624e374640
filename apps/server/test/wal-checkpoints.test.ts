import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openSqliteConnection } from '../src/db/sqlite-file.js';
import {
  FRAMES,
  SETTLED,
  WalCheckpointer,
  type WalWatch,
  walPasser,
  walRestarter,
} from '../src/writer/sqlite/wal-checkpointer.js';
import { tempDir } from './support.js';

const COMMITS = 600;
const ROWS_PER_COMMIT = 10;
const RESTART_FRAMES = 200;

/**
 * Commits rows of random keys, so that each commit writes pages all over the index, as counts do; between
 * commits, what the writer thread does between batches, when there is a checkpoint thread to watch.
 */
async function writeSteadily(file: string, wal?: WalWatch): Promise<{ walBytes: number; pageSize: number }> {
  const db = openSqliteConnection(file, 'background');
  db.exec('create table if not exists units (key blob primary key, at integer not null) without rowid');
  const insert = db.prepare('insert into units (key, at) values (?, ?)');
  const restartWalIfLong = wal ? walRestarter(db, wal) : () => {};
  for (let i = 0; i < COMMITS; i++) {
    db.transaction(() => {
      for (let k = 0; k < ROWS_PER_COMMIT; k++) insert.run(randomBytes(200), i);
    })();
    restartWalIfLong();
    await nextTurn();
  }
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const walBytes = fs.statSync(`${file}-wal`).size;
  expect((db.prepare('select count(*) as n from units').get() as { n: number }).n).toBe(
    COMMITS * ROWS_PER_COMMIT,
  );
  db.close();
  return { walBytes, pageSize };
}

describe('WAL checkpoints off the commit path', () => {
  it('keep the WAL within bounds under a steady stream of commits that never run one themselves', async () => {
    const file = path.join(tempDir(), 'steady.db');
    openSqliteConnection(file).close();
    const failures: Error[] = [];
    const checkpointer = await WalCheckpointer.start(file, (error) => failures.push(error), {
      intervalMs: 5,
      restartFrames: RESTART_FRAMES,
    });
    const { walBytes, pageSize } = await writeSteadily(file, checkpointer.watch);
    await checkpointer.close();
    expect(failures).toEqual([]);
    // The threshold, and what the writer adds from one checkpoint to the next, however late the thread runs
    // on a busy machine: far below what the same commits leave without it.
    expect(walBytes).toBeLessThan(10 * RESTART_FRAMES * (pageSize + 24));

    // Without the thread, the same commits leave every page they wrote in the WAL.
    const unchecked = await writeSteadily(path.join(tempDir(), 'unchecked.db'));
    expect(unchecked.walBytes).toBeGreaterThan(20 * RESTART_FRAMES * (pageSize + 24));
  });
});

describe('the writer restarting the WAL', () => {
  it('waits for the checkpoint thread to settle, and when a read is in the way tries again later', () => {
    const file = path.join(tempDir(), 'restart.db');
    const db = openSqliteConnection(file, 'background');
    db.exec('create table units (key blob primary key) without rowid');
    const insert = db.prepare('insert into units (key) values (?)');
    for (let i = 0; i < 50; i++) insert.run(randomBytes(200));
    const watch: WalWatch = { frames: new SharedArrayBuffer(8), restartFrames: 40 };
    const shared = new Int32Array(watch.frames);
    const restartWalIfLong = walRestarter(db, watch);

    // Long, but the checkpoint thread has not settled and the WAL is under twice the threshold.
    shared[FRAMES] = 50;
    restartWalIfLong();
    expect([shared[FRAMES], shared[SETTLED]]).toEqual([50, 0]);

    // Settled, but another connection is reading from the WAL: not restarted, still due.
    shared[SETTLED] = 1;
    const reader = openSqliteConnection(file, 'background');
    reader.exec('begin');
    reader.prepare('select count(*) from units').get();
    restartWalIfLong();
    expect([shared[FRAMES], shared[SETTLED]]).toEqual([50, 1]);

    // The read over, the next call restarts it.
    reader.exec('commit');
    restartWalIfLong();
    expect([shared[FRAMES], shared[SETTLED]]).toEqual([0, 0]);
    reader.close();
    db.close();
  });
});

describe("the checkpoint thread's pass", () => {
  it('syncs the database after a pass that copied pages, and not while the WAL stands still', () => {
    const file = path.join(tempDir(), 'passes.db');
    const db = openSqliteConnection(file, 'background');
    db.exec('create table units (key blob primary key) without rowid');
    const insert = db.prepare('insert into units (key) values (?)');
    const watch: WalWatch = { frames: new SharedArrayBuffer(8), restartFrames: 10_000 };
    let syncs = 0;
    const pass = walPasser(db, watch, () => syncs++);
    const afterPasses = (passes: number) => {
      for (let i = 0; i < passes; i++) pass();
      return syncs;
    };

    for (let i = 0; i < 20; i++) insert.run(randomBytes(200));
    expect(afterPasses(1)).toBe(1);
    // An idle server passes ten times a second: nothing new was copied, nothing to sync.
    expect(afterPasses(10)).toBe(1);
    expect(new Int32Array(watch.frames)[FRAMES]).toBeGreaterThan(0);

    // The next commit starts the fully copied WAL over, shorter: what the pass copies is new.
    insert.run(randomBytes(200));
    expect(afterPasses(1)).toBe(2);
    expect(afterPasses(5)).toBe(2);
    for (let i = 0; i < 20; i++) insert.run(randomBytes(200));
    expect(afterPasses(1)).toBe(3);
    db.close();
  });
});
