import type { Flat } from './batch-codec.js';

/**
 * What the SQLite committer and its writer thread say to each other: a batch or a close, and the answer
 * of one commit. Batches handed over while a commit ran are committed together, so an answer names every
 * batch it settles, in the order they were handed over, with the operations of each (`sizes`) and their
 * results one after another, and the operations of each transaction it took (`transactions`: one, or one
 * an operation when a failure split the group). A batch and its results travel flat (batch-codec.ts): one
 * array each way.
 */
export type WorkerRequest = { id: number; ops: Flat } | { id: number; close: true };
export type WorkerReply =
  | { ids: number[]; sizes: number[]; results: Flat; transactions: number[] }
  | { ids: number[]; sizes: number[]; error: string };
