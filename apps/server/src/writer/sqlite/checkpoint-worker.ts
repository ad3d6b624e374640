import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteConnection } from '../../db/sqlite-file.js';

/**
 * Copies the WAL back into the database every `intervalMs`, from a thread of its own, so that no commit
 * waits for it (the writer's connection runs with wal_autocheckpoint=0). A PASSIVE checkpoint blocks
 * nobody; the WAL's length it finds goes to the shared `frames`, where the writer reads whether it is time
 * to start the WAL over (see walRestarter).
 */
const port = parentPort;
if (!port) throw new Error('checkpoint-worker must run as a worker thread');
const { file, intervalMs, frames } = workerData as {
  file: string;
  intervalMs: number;
  frames: SharedArrayBuffer;
};

type Checkpoint = { busy: number; log: number; checkpointed: number };

const db = openSqliteConnection(file, 'background');
const walFrames = new Int32Array(frames);

const timer = setInterval(() => {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Checkpoint[];
  Atomics.store(walFrames, 0, result?.log ?? 0);
}, intervalMs);

port.on('message', () => {
  clearInterval(timer);
  db.close();
  port.close();
});
port.postMessage('ready');
