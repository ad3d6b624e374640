import { describe, expect, it } from 'vitest';
import { commitBatch } from './commit-batch.js';
import type { LogRow, WriteOp } from './operations.js';
import type { WriteConnection } from './ports.js';
import type { StatementName } from './statements.js';

/**
 * A WriteConnection with no database behind it: it writes down every call in order, answers a count as a
 * first unit of a live giveaway, and throws whatever `failWhen` returns for a call.
 */
class FakeConnection implements WriteConnection {
  readonly journal: string[] = [];
  readonly loggedRemarks: (string | null)[][] = [];
  private nextLogId = 1;

  constructor(private readonly failWhen: (call: string) => unknown = () => undefined) {}

  one<Row>(name: StatementName, params: unknown[]): Row | undefined {
    // The first parameter names a participant or task.
    this.record(`${name} ${String(params[0])}`);
    if (name === 'countState')
      return { status: 'live', starts_at: null, ends_at: null, frozen_at: null } as Row;
    return undefined;
  }

  all<Row>(name: StatementName, params: unknown[]): Row[] {
    this.record(`${name} ${String(params[0])}`);
    return [];
  }

  run(name: StatementName, params: unknown[]): number {
    // insertTrack's first parameter is the track id, its fifth the participant; addUnit's third the unit.
    if (name === 'insertTrack') this.record(`insertTrack ${String(params[4])} ${String(params[0])}`);
    else this.record(name === 'addUnit' ? `addUnit ${String(params[2])}` : name);
    return 1;
  }

  begin(): void {
    this.record('begin');
  }

  insertLogs(rows: LogRow[]): number[] {
    this.record(`insertLogs ${rows.length}`);
    this.loggedRemarks.push(rows.map((row) => row.remark));
    return rows.map(() => this.nextLogId++);
  }

  commit(): void {
    this.record('commit');
  }

  rollback(): void {
    this.journal.push('rollback');
  }

  private record(call: string): void {
    this.journal.push(call);
    const error = this.failWhen(call);
    if (error !== undefined) throw error;
  }
}

const log = (remark: string): WriteOp => ({
  kind: 'log',
  log: {
    project_id: 'prj_1',
    received_at: 1,
    track_id: null,
    event: 'signup',
    remark,
    code: 'invalid_signature',
    detail: 'the signature does not match',
    expected_canonical: null,
    hint: null,
  },
});

const count = (participantId: string, remark: string): WriteOp => ({
  kind: 'count',
  taskId: 'task_1',
  participantId,
  giveawayId: 'gw_1',
  requiredAmount: 2,
  unitKey: remark,
  log: {
    project_id: 'prj_1',
    received_at: 1,
    track_id: `trk_${participantId}`,
    event: 'signup',
    remark,
    expected_canonical: null,
    hint: null,
  },
});

const track = (participantId: string, trackId: string): WriteOp => ({
  kind: 'track',
  row: {
    track_id: trackId,
    project_id: 'prj_1',
    website_id: 'web_1',
    giveaway_id: 'gw_1',
    participant_id: participantId,
    created_at: 1,
  },
});

/** The journal's transaction boundaries and the statements that name a participant, in order. */
const outline = (journal: string[]) =>
  journal.filter((call) => /^(begin|commit|rollback|countState|insertTrack)/.test(call));

describe('commitBatch with a fake connection', () => {
  it('runs operations in lock order, by participant with counts first, and answers in the order asked', () => {
    const conn = new FakeConnection();
    const ops = [
      count('pt_b', 'b1'),
      track('pt_a', 'trk_a'),
      count('pt_a', 'a1'),
      log('l1'),
      count('pt_b', 'b2'),
    ];

    const transactions: number[] = [];
    const results = commitBatch(conn, ops, (operations) => transactions.push(operations));

    expect(transactions).toEqual([5]);
    expect(outline(conn.journal)).toEqual([
      'begin',
      'countState pt_a',
      'insertTrack pt_a trk_a',
      'countState pt_b',
      'countState pt_b',
      'commit',
    ]);
    // One participant's counts keep their arrival order: b1 is counted before b2.
    const units = conn.journal.filter((call) => call.startsWith('addUnit'));
    expect(units).toEqual(['addUnit a1', 'addUnit b1', 'addUnit b2']);
    expect(results.map((r) => r.kind)).toEqual(['count', 'track', 'count', 'log', 'count']);
    // Log rows go in last, in the order asked, and each answer carries its own row's id.
    expect(conn.loggedRemarks).toEqual([['b1', 'a1', 'l1', 'b2']]);
    expect(results.map((r) => ('logId' in r ? r.logId : undefined))).toEqual([1, undefined, 2, 3, 4]);
    expect(conn.journal.slice(-2)).toEqual(['insertLogs 4', 'commit']);
  });

  it('rolls back a batch whose operation fails, then commits each operation alone so only that one fails', () => {
    const conn = new FakeConnection((call) =>
      call === 'insertTrack pt_b trk_bad' ? new Error('constraint failed') : undefined,
    );

    const transactions: number[] = [];
    const results = commitBatch(conn, [log('l1'), track('pt_b', 'trk_bad'), track('pt_c', 'trk_c')], (n) =>
      transactions.push(n),
    );

    expect(results).toEqual([
      { kind: 'log', logId: 1 },
      { kind: 'error', message: 'constraint failed' },
      { kind: 'track', trackId: 'trk_c' },
    ]);
    expect(outline(conn.journal)).toEqual([
      'begin',
      'insertTrack pt_b trk_bad',
      'rollback',
      'begin',
      'commit',
      'begin',
      'insertTrack pt_b trk_bad',
      'rollback',
      'begin',
      'insertTrack pt_c trk_c',
      'commit',
    ]);
    // Two transactions of one operation each committed (the metrics' batch sizes); the failed one did not.
    expect(transactions).toEqual([1, 1]);
    // The whole batch's log row was rolled back with it; only the retry's stays.
    expect(conn.loggedRemarks).toEqual([['l1']]);
  });
});
