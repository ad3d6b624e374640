import type { LogRow, WriteOp, WriteResult } from './operations.js';
import type { StatementName } from './statements.js';

/**
 * The writer's four layers, each seen by the one above only through the interface declared here:
 *
 *   WriteQueue       services submit one operation and wait for it to be durable (writer.ts: Writer)
 *   Committer        takes a whole batch to the engine (sqlite/: a writer thread; postgres/: one function call)
 *   WriteConnection  one transaction around the batch, on SQLite's writer thread (commit-batch.ts drives it)
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
  /** Whether a batch may be handed over while another commits (it then commits with those that wait). */
  readonly takesWhileCommitting: boolean;
  /** Told the number of operations of each transaction it commits. */
  onCommit(listener: (operations: number) => void): void;
  /** Called once if the committer can never commit again. */
  onFailure(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

/**
 * SQLite's write connection as the writer thread drives it: statements, and the transaction around a
 * batch. Synchronous, as better-sqlite3 is: the thread has nothing else to do while a statement runs.
 * (PostgreSQL runs the same rules inside proofdrop_write_batch, not through this interface.)
 */
export interface WriteConnection extends WriteStore {
  begin(): void;
  /**
   * Inserts the batch's log rows, last in its transaction, and answers their ids in order. Ids must grow
   * in commit order: live log clients resume from the last id they saw.
   */
  insertLogs(rows: LogRow[]): number[];
  commit(): void;
  rollback(): void;
}

/** How the writer runs its statements: rows back, or the number of rows changed. */
export interface WriteStore {
  one<Row>(name: StatementName, params: unknown[]): Row | undefined;
  all<Row>(name: StatementName, params: unknown[]): Row[];
  run(name: StatementName, params: unknown[]): number;
}
