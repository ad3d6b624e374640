import type { LogRow, WriteOp, WriteResult } from './operations.js';
import type { StatementName } from './statements.js';

/**
 * The writer's four layers, each seen by the one above only through the interface declared here:
 *
 *   WriteQueue       services submit one operation and wait for it to be durable (writer.ts: Writer)
 *   Committer        takes a whole batch to the engine (sqlite/: a writer thread; postgres/: one function call)
 *   WriteConnection  one transaction around the batch (commit-batch.ts drives it; SQLite's thread)
 *   WriteStore       the named statements an operation runs (apply.ts calls them)
 */

/** Where services send what must be written in order and exactly once: counts, log rows, track links. */
export interface WriteQueue {
  /** Settles once the operation's batch is durable; rejects with a 429 or 503 when it was not written. */
  submit(op: WriteOp): Promise<WriteResult>;
}

/** Where a batch goes to be committed: the SQLite writer thread, or this process's PostgreSQL connection. */
export interface Committer {
  /** Commits the batch in one transaction and answers each operation; rejects if nothing was committed. */
  commit(ops: WriteOp[]): Promise<WriteResult[]>;
  /** Called once if the committer can never commit again. */
  onFailure(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

/** One engine's connection as the writer drives it: statements, and the transaction around a batch. */
export interface WriteConnection extends WriteStore {
  begin(): Promise<void>;
  /**
   * Inserts the batch's log rows, last in its transaction, and answers their ids in order. Ids must grow
   * in commit order across every writer: live log clients resume from the last id they saw.
   */
  insertLogs(rows: LogRow[]): Promise<number[]>;
  /** Runs last inside the transaction, with the batch's outcome: for what must be sent exactly at commit. */
  beforeCommit(ops: WriteOp[], results: WriteResult[]): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** A conflict with another writer (a deadlock, a serialization failure) that a retry resolves. */
  isTransient(error: unknown): boolean;
}

/** How the writer runs its statements, on either engine: rows back, or the number of rows changed. */
export interface WriteStore {
  one<Row>(name: StatementName, params: unknown[]): Promise<Row | undefined>;
  all<Row>(name: StatementName, params: unknown[]): Promise<Row[]>;
  run(name: StatementName, params: unknown[]): Promise<number>;
}
