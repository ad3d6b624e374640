import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteConnection } from '../../db/sqlite-file.js';
import { FRAMES, SETTLED, SETTLED_FRAMES, type WalWatch } from './wal-checkpointer.js';

/**
 * Copies the WAL back into the database every `intervalMs`, from a thread of its own, so that no commit
 * waits for it (the writer's connection runs with wal_autocheckpoint=0). A PASSIVE checkpoint blocks
 * nobody; the WAL's length it finds, and whether it has settled, go to the shared `frames`, where the
 * writer reads whether it is time to start the WAL over (see walRestarter). Past `restartFrames` it passes
 * again at once, until a pass finds fewer than SETTLED_FRAMES new pages.
 *
 * Under load a PASSIVE checkpoint never reaches the WAL's end, and SQLite syncs the database only when one
 * does: the pages it copied stayed unsynced until the writer's restart synced them all, 10 ms and more
 * with every commit stopped (seen with strace on the bench's load). So this thread syncs the file itself
 * after each pass, and the restart syncs little.
 */
const port = parentPort;
if (!port) throw new Error('checkpoint-worker must run as a worker thread');
const { file, intervalMs, watch } = workerData as { file: string; intervalMs: number; watch: WalWatch };
const { restartFrames } = watch;

type Checkpoint = { busy: number; log: number; checkpointed: number };

const db = openSqliteConnection(file, 'background');
const dbFile = fs.openSync(file, 'r');
const shared = new Int32Array(watch.frames);
let previous = 0;
let timer: NodeJS.Timeout | undefined;

function checkpoint(): void {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Checkpoint[];
  if (result && result.checkpointed > 0) fs.fdatasyncSync(dbFile);
  const length = result?.log ?? 0;
  const long = length > restartFrames;
  const settled = long && length >= previous && length - previous < SETTLED_FRAMES;
  previous = length;
  Atomics.store(shared, SETTLED, settled ? 1 : 0);
  Atomics.store(shared, FRAMES, length);
  timer = setTimeout(checkpoint, long && !settled ? 0 : intervalMs);
}
timer = setTimeout(checkpoint, intervalMs);

port.on('message', () => {
  clearTimeout(timer);
  db.close();
  fs.closeSync(dbFile);
  port.close();
});
port.postMessage('ready');
