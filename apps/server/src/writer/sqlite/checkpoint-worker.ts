import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteConnection } from '../../db/sqlite-file.js';
import { type WalWatch, walPasser } from './wal-checkpointer.js';

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
 * after each pass that copied pages, and the restart syncs little.
 */
const port = parentPort;
if (!port) throw new Error('checkpoint-worker must run as a worker thread');
const { file, intervalMs, watch } = workerData as { file: string; intervalMs: number; watch: WalWatch };

const db = openSqliteConnection(file, 'background');
const dbFile = fs.openSync(file, 'r');
const pass = walPasser(db, watch, () => fs.fdatasyncSync(dbFile));
let timer: NodeJS.Timeout | undefined;

function checkpoint(): void {
  timer = setTimeout(checkpoint, pass() ? 0 : intervalMs);
}
timer = setTimeout(checkpoint, intervalMs);

port.on('message', () => {
  clearTimeout(timer);
  db.close();
  fs.closeSync(dbFile);
  port.close();
});
port.postMessage('ready');
