import type { WriteOp, WriteResult } from '../operations.js';

/** What the SQLite committer and its writer thread say to each other: a batch or a close, and its answer. */
export type WorkerRequest = { id: number; ops: WriteOp[] } | { id: number; close: true };
export type WorkerReply = { id: number; results: WriteResult[] } | { id: number; error: string };
