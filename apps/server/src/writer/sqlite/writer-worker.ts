import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteConnection } from '../../db/sqlite-file.js';
import { commitBatch } from '../commit-batch.js';
import { decodeOps, encodeResults } from './batch-codec.js';

import { sqliteWriteConnection } from './sqlite-connection.js';
import { type WalWatch, walRestarter } from './wal-checkpointer.js';
import type { WorkerReply, WorkerRequest } from './worker-messages.js';

/**
 * The single SQLite writer. It commits each batch in one transaction, so one fsync covers the whole
 * group, and runs on its own thread so that the event loop keeps taking requests while the disk syncs.
 * Batches come one at a time: the next is sent only once this one is answered.
 */
const port = parentPort;
if (!port) throw new Error('writer-worker must run as a worker thread');

const { file, wal } = workerData as { file: string; wal: WalWatch };
const db = openSqliteConnection(file, 'background');
const connection = sqliteWriteConnection(db);
const restartWalIfLong = walRestarter(db, wal);

port.on('message', (request: WorkerRequest) => {
  if ('close' in request) {
    db.close();
    port.postMessage({ id: request.id, results: [] } satisfies WorkerReply);
    port.close();
    return;
  }
  try {
    port.postMessage({
      id: request.id,
      results: encodeResults(commitBatch(connection, decodeOps(request.ops))),
    } satisfies WorkerReply);
  } catch (error) {
    port.postMessage({
      id: request.id,
      error: error instanceof Error ? error.message : String(error),
    } satisfies WorkerReply);
  }
  // After the answer, while the next batch gathers.
  restartWalIfLong();
});
port.postMessage({ id: 0, results: [] } satisfies WorkerReply);
