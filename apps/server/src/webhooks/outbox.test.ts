import { describe, expect, it } from 'vitest';
import { outboxMessages } from './outbox.js';

describe('outbox rows', () => {
  const endpoints = [
    { id: 'wh_joins', events: '["participant.joined"]' },
    { id: 'wh_all', events: '["participant.joined","task.completed"]' },
  ];

  it('go to each endpoint subscribed to the event, pending and due at once, with one payload', () => {
    const at = Date.UTC(2026, 10, 27, 9, 0, 0);
    const rows = outboxMessages(endpoints, 'task.completed', at, { participantId: 'pt_1' });

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      endpoint_id: 'wh_all',
      event_type: 'task.completed',
      created_at: at,
      state: 'pending',
      attempts: 0,
      next_attempt_at: at,
      delivered_at: null,
    });
    expect(JSON.parse(rows[0]?.payload ?? '')).toEqual({
      type: 'task.completed',
      timestamp: '2026-11-27T09:00:00.000Z',
      data: { participantId: 'pt_1' },
    });
  });

  it('carry a message id of their own each', () => {
    const rows = outboxMessages(endpoints, 'participant.joined', 0, {});
    expect(rows.map((r) => r.endpoint_id)).toEqual(['wh_joins', 'wh_all']);
    expect(new Set(rows.map((r) => r.id)).size).toBe(2);
    for (const row of rows) expect(row.id).toMatch(/^msg_[0-9a-f]{32}$/);
  });

  it('are none when no endpoint subscribes', () => {
    expect(outboxMessages(endpoints, 'participant.eligible', 0, {})).toEqual([]);
  });
});
