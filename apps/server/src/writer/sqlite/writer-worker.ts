import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { openSqliteConnection } from '../../db/sqlite-file.js';
import { commitBatch } from '../commit-batch.js';
import type { WriteOp } from '../operations.js';
import { decodeOps, encodeResults } from './batch-codec.js';

import { sqliteWriteConnection } from './sqlite-connection.js';
import { type WalWatch, walRestarter } from './wal-checkpointer.js';
import type { WorkerReply, WorkerRequest } from './worker-messages.js';

/**
 * The single SQLite writer. It commits each group in one transaction, so one fsync covers it, and runs on
 * its own thread so that the event loop keeps taking requests while the disk syncs. The main thread hands
 * over a batch at every turn of its event loop, even while a commit runs: when a commit ends, the batches
 * that wait are taken at once (without a turn of this thread's loop) and committed together.
 */
const port = parentPort;
if (!port) throw new Error('writer-worker must run as a worker thread');

const { file, wal } = workerData as { file: string; wal: WalWatch };
const db = openSqliteConnection(file, 'background');
const connection = sqliteWriteConnection(db);
const restartWalIfLong = walRestarter(db, wal);

const waiting = (): WorkerRequest | undefined =>
  receiveMessageOnPort(port)?.message as WorkerRequest | undefined;

port.on('message', (first: WorkerRequest) => {
  let request: WorkerRequest | undefined = first;
  while (request !== undefined) {
    const ids: number[] = [];
    const ops: WriteOp[] = [];
    while (request !== undefined && !('close' in request)) {
      ids.push(request.id);
      ops.push(...decodeOps(request.ops));
      request = waiting();
    }
    if (ids.length > 0) port.postMessage(commit(ids, ops));
    if (request !== undefined) {
      db.close();
      port.postMessage({ ids: [request.id], results: [] } satisfies WorkerReply);
      port.close();
      return;
    }
    // After the answer, before whatever came meanwhile.
    restartWalIfLong();
    request = waiting();
  }
});
port.postMessage({ ids: [], results: [] } satisfies WorkerReply);

function commit(ids: number[], ops: WriteOp[]): WorkerReply {
  try {
    return { ids, results: encodeResults(commitBatch(connection, ops)) };
  } catch (error) {
    return { ids, error: error instanceof Error ? error.message : String(error) };
  }
}
