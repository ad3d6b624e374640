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

/** At most this many operations a commit: if one fails, each of its group is committed alone (commit-batch.ts). */
const MAX_GROUP = 1000;

const waiting = (): WorkerRequest | undefined =>
  receiveMessageOnPort(port)?.message as WorkerRequest | undefined;

port.on('message', (first: WorkerRequest) => {
  let request: WorkerRequest | undefined = first;
  while (request !== undefined) {
    const ids: number[] = [];
    const sizes: number[] = [];
    const ops: WriteOp[] = [];
    while (request !== undefined && !('close' in request) && ops.length < MAX_GROUP) {
      const batch = decodeOps(request.ops);
      ids.push(request.id);
      sizes.push(batch.length);
      ops.push(...batch);
      request = waiting();
    }
    if (ids.length > 0) port.postMessage(commit(ids, sizes, ops));
    if (request !== undefined && 'close' in request) {
      db.close();
      port.postMessage({
        ids: [request.id],
        sizes: [0],
        results: [],
        transactions: [],
      } satisfies WorkerReply);
      port.close();
      return;
    }
    // After the answer, before whatever came meanwhile (or what a full group left waiting).
    restartWalIfLong();
    request ??= waiting();
  }
});
port.postMessage({ ids: [], sizes: [], results: [], transactions: [] } satisfies WorkerReply);

function commit(ids: number[], sizes: number[], ops: WriteOp[]): WorkerReply {
  const transactions: number[] = [];
  try {
    const results = commitBatch(connection, ops, (operations) => transactions.push(operations));
    return { ids, sizes, results: encodeResults(results), transactions };
  } catch (error) {
    return { ids, sizes, error: error instanceof Error ? error.message : String(error) };
  }
}
