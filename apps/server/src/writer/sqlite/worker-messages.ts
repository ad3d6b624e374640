import type { Flat } from './batch-codec.js';

/**
 * What the SQLite committer and its writer thread say to each other: a batch or a close, and its answer.
 * A batch and its results travel flat (batch-codec.ts): one array each way.
 */
export type WorkerRequest = { id: number; ops: Flat } | { id: number; close: true };
export type WorkerReply = { id: number; results: Flat } | { id: number; error: string };
