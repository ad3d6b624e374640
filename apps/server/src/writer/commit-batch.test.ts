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

  async one<Row>(name: StatementName, params: unknown[]): Promise<Row | undefined> {
    // addUnit names the unit (its third parameter); the others their first parameter, a participant or task.
    this.record(`${name} ${String(name === 'addUnit' ? params[2] : params[0])}`);
    if (name === 'countState')
      return { status: 'live', starts_at: null, ends_at: null, frozen_at: null } as Row;
    if (name === 'addUnit') return { count: 1 } as Row;
    return undefined;
  }

  async all<Row>(name: StatementName, params: unknown[]): Promise<Row[]> {
    this.record(`${name} ${String(params[0])}`);
    return [];
  }

  async run(name: StatementName, params: unknown[]): Promise<number> {
    // insertTrack's first parameter is the track id, its fifth the participant.
    this.record(name === 'insertTrack' ? `insertTrack ${String(params[4])} ${String(params[0])}` : name);
    return 1;
  }

  async begin(): Promise<void> {
    this.record('begin');
  }

  async insertLogs(rows: LogRow[]): Promise<number[]> {
    this.record(`insertLogs ${rows.length}`);
    this.loggedRemarks.push(rows.map((row) => row.remark));
    return rows.map(() => this.nextLogId++);
  }

  async beforeCommit(): Promise<void> {
    this.record('beforeCommit');
  }

  async commit(): Promise<void> {
    this.record('commit');
  }

  async rollback(): Promise<void> {
    this.journal.push('rollback');
  }

  isTransient(error: unknown): boolean {
    return error instanceof TransientConflict;
  }

  private record(call: string): void {
    this.journal.push(call);
    const error = this.failWhen(call);
    if (error !== undefined) throw error;
  }
}

class TransientConflict extends Error {}

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
  it('runs operations in lock order, by participant with counts first, and answers in the order asked', async () => {
    const conn = new FakeConnection();
    const ops = [
      count('pt_b', 'b1'),
      track('pt_a', 'trk_a'),
      count('pt_a', 'a1'),
      log('l1'),
      count('pt_b', 'b2'),
    ];

    const results = await commitBatch(conn, ops);

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
    expect(conn.journal.slice(-3)).toEqual(['insertLogs 4', 'beforeCommit', 'commit']);
  });

  it('rolls back a batch whose operation fails, then commits each operation alone so only that one fails', async () => {
    const conn = new FakeConnection((call) =>
      call === 'insertTrack pt_b trk_bad' ? new Error('constraint failed') : undefined,
    );

    const results = await commitBatch(conn, [log('l1'), track('pt_b', 'trk_bad'), track('pt_c', 'trk_c')]);

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
    // The whole batch's log row was rolled back with it; only the retry's stays.
    expect(conn.loggedRemarks).toEqual([['l1']]);
  });

  it('runs the whole batch again after a transient conflict, without splitting it', async () => {
    let conflicts = 1;
    const conn = new FakeConnection((call) =>
      call === 'commit' && conflicts-- > 0 ? new TransientConflict('deadlock detected') : undefined,
    );

    const results = await commitBatch(conn, [count('pt_a', 'a1'), count('pt_b', 'b1')]);

    expect(results.map((r) => r.kind)).toEqual(['count', 'count']);
    expect(outline(conn.journal)).toEqual([
      'begin',
      'countState pt_a',
      'countState pt_b',
      'commit',
      'rollback',
      'begin',
      'countState pt_a',
      'countState pt_b',
      'commit',
    ]);
  });

  it('gives up on an operation that conflicts on every one of its three attempts', async () => {
    const conn = new FakeConnection((call) =>
      call.startsWith('insertTrack') ? new TransientConflict('could not serialize access') : undefined,
    );

    const results = await commitBatch(conn, [track('pt_a', 'trk_a')]);

    expect(results).toEqual([{ kind: 'error', message: 'could not serialize access' }]);
    expect(conn.journal.filter((call) => call === 'begin')).toHaveLength(3);
    expect(conn.journal.filter((call) => call === 'rollback')).toHaveLength(3);
    expect(conn.journal).not.toContain('commit');
  });

  it('does not retry a failure that is not transient as a whole batch', async () => {
    const conn = new FakeConnection((call) =>
      call === 'beforeCommit' ? new Error('notify failed') : undefined,
    );

    const results = await commitBatch(conn, [log('l1')]);

    expect(results).toEqual([{ kind: 'error', message: 'notify failed' }]);
    expect(conn.journal.filter((call) => call === 'begin')).toHaveLength(1);
  });
});
