import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteConnection } from '../db/database.js';
import { applyOp } from './apply.js';
import type { WorkerReply, WorkerRequest, WriteOp, WriteResult } from './operations.js';
import { prepareStatements } from './statements.js';

/**
 * The single writer. It commits each batch in one transaction, so one fsync covers the whole group, and
 * runs on its own thread so that the event loop keeps taking requests while the disk syncs.
 */
const port = parentPort;
if (!port) throw new Error('writer-worker must run as a worker thread');

const db = openSqliteConnection((workerData as { file: string }).file);
const statements = prepareStatements(db);
// A nested transaction is a savepoint: one failing operation rolls back alone, its neighbours commit.
const applyOne = db.transaction((op: WriteOp) => applyOp(statements, op));
const applyBatch = db.transaction((ops: WriteOp[]): WriteResult[] =>
  ops.map((op) => {
    try {
      return applyOne(op);
    } catch (error) {
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }),
);

port.on('message', (request: WorkerRequest) => {
  if ('close' in request) {
    db.close();
    port.postMessage({ id: request.id, results: [] } satisfies WorkerReply);
    port.close();
    return;
  }
  try {
    // IMMEDIATE takes the write lock at BEGIN, so the reads that decide a count see the latest commit.
    port.postMessage({ id: request.id, results: applyBatch.immediate(request.ops) } satisfies WorkerReply);
  } catch (error) {
    port.postMessage({
      id: request.id,
      error: error instanceof Error ? error.message : String(error),
    } satisfies WorkerReply);
  }
});
port.postMessage({ id: 0, results: [] } satisfies WorkerReply);
