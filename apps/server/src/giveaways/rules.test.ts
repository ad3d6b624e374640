import { describe, expect, it } from 'vitest';
import { checkGiveawayDraft, slugify } from './giveaway-draft.js';
import { applyDraftPatch, checkPublishedEdit, editableFields } from './giveaway-edit.js';
import { giveawayPhase, nextPhaseChange } from './lifecycle.js';
import { isEligible, unitKey } from './progress.js';

describe('giveaway phase', () => {
  const at = (status: 'draft' | 'live' | 'ended' | 'drawn', starts: number | null, ends: number | null) => ({
    status,
    starts_at: starts,
    ends_at: ends,
  });

  it('follows the stored status and applies startsAt and endsAt to a live giveaway', () => {
    expect(giveawayPhase(at('draft', null, 10), 50)).toBe('draft');
    expect(giveawayPhase(at('live', 100, 200), 50)).toBe('scheduled');
    expect(giveawayPhase(at('live', 100, 200), 100)).toBe('live');
    expect(giveawayPhase(at('live', 100, 200), 199)).toBe('live');
    expect(giveawayPhase(at('live', 100, 200), 200)).toBe('ended');
    expect(giveawayPhase(at('live', null, null), 1e15)).toBe('live');
    expect(giveawayPhase(at('ended', null, null), 0)).toBe('ended');
    expect(giveawayPhase(at('drawn', null, null), 0)).toBe('drawn');
  });

  it('changes next by the clock at startsAt, then at endsAt; otherwise only by the host', () => {
    expect(nextPhaseChange(at('live', 100, 200), 50)).toBe(100);
    expect(nextPhaseChange(at('live', 100, 200), 100)).toBe(200);
    expect(nextPhaseChange(at('live', 100, 200), 200)).toBeNull();
    expect(nextPhaseChange(at('live', null, null), 50)).toBeNull();
    expect(nextPhaseChange(at('draft', 100, 200), 50)).toBeNull();
    expect(nextPhaseChange(at('ended', null, 200), 50)).toBeNull();
    for (const now of [50, 100, 199]) {
      const change = nextPhaseChange(at('live', 100, 200), now) as number;
      expect(giveawayPhase(at('live', 100, 200), change)).not.toBe(giveawayPhase(at('live', 100, 200), now));
    }
  });
});

describe('progress', () => {
  it('keys a remark as its unit and gives each remark-less callback a fresh one', () => {
    let n = 0;
    const fresh = () => `id${++n}`;
    expect(unitKey('order-1', fresh)).toBe('r:order-1');
    expect(unitKey(undefined, fresh)).toBe('n:id1');
    expect(unitKey('', fresh)).toBe('n:id2');
  });

  it('is eligible when every task is complete, and vacuously with no tasks', () => {
    expect(isEligible([])).toBe(true);
    expect(
      isEligible([
        { requiredAmount: 3, count: 3 },
        { requiredAmount: 1, count: 1 },
      ]),
    ).toBe(true);
    expect(
      isEligible([
        { requiredAmount: 3, count: 2 },
        { requiredAmount: 1, count: 1 },
      ]),
    ).toBe(false);
  });
});

describe('giveaway draft', () => {
  const base = { title: ' Summer ', winnerMode: 'lucky_draw' as const, winnerCount: 2, tasks: [] };
  const sites = new Set(['web_a', 'web_b']);

  it('trims, defaults requiredAmount to 1 and keeps task order', () => {
    const draft = checkGiveawayDraft(
      {
        ...base,
        tasks: [
          { websiteId: 'web_b', event: 'click', name: ' Click ' },
          { websiteId: 'web_a', event: 'click', name: 'x', requiredAmount: 4 },
        ],
      },
      sites,
      0,
      true,
    );
    expect(draft).toMatchObject({
      title: 'Summer',
      tasks: [
        { websiteId: 'web_b', name: 'Click', requiredAmount: 1 },
        { websiteId: 'web_a', requiredAmount: 4 },
      ],
    });
  });

  it('names the problem, and the field it is about for the form to show it beside', () => {
    expect(
      checkGiveawayDraft({ ...base, tasks: [{ websiteId: 'web_z', event: 'e', name: 'n' }] }, sites, 0, true),
    ).toEqual({
      code: 'unprocessable',
      message: "task 1: the website is not one of this project's",
      fields: [{ field: 'tasks.0.websiteId', message: "websiteId is not one of this project's websites" }],
    });
    expect(checkGiveawayDraft({ ...base, endsAt: '1970-01-01T00:00:01Z' }, sites, 5_000, true)).toEqual({
      code: 'invalid_request',
      message: 'endsAt must be in the future',
      fields: [{ field: 'endsAt', message: 'endsAt must be in the future' }],
    });
    const twice = { websiteId: 'web_a', event: 'sign_up', name: 'n' };
    expect(checkGiveawayDraft({ ...base, tasks: [twice, twice] }, sites, 0, true)).toEqual({
      code: 'invalid_request',
      message: 'task 2 repeats the event "sign_up" on the same website',
      fields: [{ field: 'tasks.1.event', message: 'event "sign_up" is already a task on this website' }],
    });
  });

  it('names every problem at once, a 400 when any is about the body itself', () => {
    const twice = { websiteId: 'web_a', event: 'sign_up', name: 'n' };
    const problem = checkGiveawayDraft(
      {
        ...base,
        startsAt: 'soon',
        endsAt: '1970-01-01T00:00:01Z',
        requireVerifiedEmail: true,
        tasks: [twice, { websiteId: 'web_z', event: 'e', name: 'n' }, twice],
      },
      sites,
      5_000,
      false,
    );
    expect(problem).toMatchObject({ code: 'invalid_request' });
    expect('fields' in problem && problem.fields.map((f) => f.field)).toEqual([
      'startsAt',
      'endsAt',
      'tasks.1.websiteId',
      'tasks.2.event',
      'requireVerifiedEmail',
    ]);
    expect('message' in problem && problem.message.split('; ')).toHaveLength(5);
    expect(
      checkGiveawayDraft({ ...base, requireVerifiedEmail: true, tasks: [twice] }, sites, 0, false),
    ).toMatchObject({ code: 'unprocessable', fields: [{ field: 'requireVerifiedEmail' }] });
  });

  it('slugifies titles to [a-z0-9-]', () => {
    expect(slugify('Crème Brûlée — 2× Giveaway!')).toBe('creme-brulee-2-giveaway');
    expect(slugify('点赞')).toBe('giveaway');
  });
});

describe('what a giveaway may still change', () => {
  const now = 1_000_000;
  const current = { startsAt: null, endsAt: 2_000_000 };

  it('a running giveaway takes its wording and a later end, and names what is fixed', () => {
    expect(checkPublishedEdit('live', current, { title: ' New ', description: 'd' }, now)).toEqual({
      title: 'New',
      description: 'd',
    });
    expect(checkPublishedEdit('live', current, { endsAt: new Date(3_000_000).toISOString() }, now)).toEqual({
      endsAt: 3_000_000,
    });
    expect(checkPublishedEdit('scheduled', current, { winnerCount: 2, prizes: [] }, now)).toMatchObject({
      code: 'invalid_state',
      message: expect.stringMatching(/^winnerCount, prizes cannot change/),
    });
    expect(
      checkPublishedEdit('live', current, { endsAt: new Date(1_500_000).toISOString() }, now),
    ).toMatchObject({ code: 'invalid_state' });
    expect(checkPublishedEdit('live', current, { endsAt: null }, now)).toMatchObject({
      code: 'invalid_state',
    });
    expect(checkPublishedEdit('ended', current, { title: 'x' }, now)).toMatchObject({
      code: 'invalid_state',
    });
  });

  it('a draft takes everything; null clears a time', () => {
    expect(editableFields('draft')).toHaveLength(10);
    expect(editableFields('drawn')).toEqual([]);
    const input = { title: 'T', winnerMode: 'lucky_draw' as const, winnerCount: 1, tasks: [], endsAt: 'x' };
    expect(applyDraftPatch(input, { endsAt: null, winnerCount: 4 })).toEqual({
      ...input,
      endsAt: undefined,
      winnerCount: 4,
    });
  });
});
