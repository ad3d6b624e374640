import { describe, expect, it } from 'vitest';
import type { WriteOp, WriteResult } from '../operations.js';
import { decodeOps, decodeResults, encodeOps, encodeResults } from './batch-codec.js';

const log = {
  project_id: 'prj_1',
  received_at: 1_700_000_000_000,
  track_id: 'trk_1',
  event: 'like_article',
  remark: null,
  expected_canonical: 'canonical',
  hint: null,
};

describe('the writer thread’s flat batches', () => {
  it('carry every kind of operation, optional fields as they were', () => {
    const ops: WriteOp[] = [
      { kind: 'log', log: { ...log, code: 'bad_signature', detail: 'the signature does not match' } },
      {
        kind: 'count',
        taskId: 'task_1',
        participantId: 'pt_1',
        giveawayId: 'gw_1',
        requiredAmount: 3,
        unitKey: 'r:a',
        replay: { sign: 'f'.repeat(64), expiresAt: 1_700_000_600_000 },
        log,
      },
      {
        kind: 'count',
        taskId: 'task_1',
        participantId: 'pt_2',
        giveawayId: 'gw_1',
        requiredAmount: 1,
        unitKey: 'r:b',
        log: { ...log, remark: 'b' },
      },
      {
        kind: 'track',
        row: {
          track_id: 'trk_2',
          project_id: 'prj_1',
          website_id: 'web_1',
          giveaway_id: null,
          participant_id: null,
          created_at: 5,
        },
      },
    ];
    expect(decodeOps(encodeOps(ops))).toStrictEqual(ops);
  });

  it('carry every kind of answer, flags only where they are true', () => {
    const results: WriteResult[] = [
      { kind: 'log', logId: 1 },
      { kind: 'count', logId: 2, code: 'recorded', count: 1, eligible: false },
      { kind: 'count', logId: 3, code: 'duplicate', count: 0, eligible: false, replayed: true },
      { kind: 'count', logId: 4, code: 'completed', count: 2, eligible: false, awaitingProof: true },
      { kind: 'count', logId: 5, code: 'completed', count: 2, eligible: true },
      { kind: 'track', trackId: 'trk_3' },
      { kind: 'error', message: 'disk full' },
    ];
    expect(decodeResults(encodeResults(results))).toStrictEqual(results);
  });
});
