import type { CallbackLogTable, TrackIdsTable } from '../db/schema.js';
import type { CountOutcome } from '../giveaways/progress.js';

/** What the single writer is asked to commit; plain data, since it crosses to the writer thread. */

export type LogRow = Omit<CallbackLogTable, 'id'>;

export type CountOp = {
  kind: 'count';
  taskId: string;
  participantId: string;
  giveawayId: string;
  requiredAmount: number;
  unitKey: string;
  /**
   * For a callback without remark: its signature, which makes the same body a duplicate until `expiresAt`.
   * Absent when the replay window is off or the callback names its unit with a remark.
   */
  replay?: { sign: string; expiresAt: number };
  /** Logged with the outcome's code and detail, in the same transaction as the count (a count has its event). */
  log: Omit<LogRow, 'code' | 'detail' | 'event'> & { event: string };
};

export type WriteOp = { kind: 'log'; log: LogRow } | CountOp | { kind: 'track'; row: TrackIdsTable };

export type WriteResult =
  | { kind: 'log'; logId: number }
  | ({ kind: 'count'; logId: number } & CountOutcome)
  | { kind: 'track'; trackId: string }
  | { kind: 'error'; message: string };
