import { EDITABLE_FIELDS } from '@proofdrop/contract';
import { describe, expect, it } from 'vitest';
import type { GiveawayForm } from './giveaway-form';
import {
  createBody,
  emptyTask,
  fromLocalInput,
  PRESET_EVENTS,
  patchBody,
  prizesNote,
  toLocalInput,
} from './giveaway-form';

const form = (over: Partial<GiveawayForm> = {}): GiveawayForm => ({
  title: 'Summer Drop',
  description: 'Win a bike',
  startsAt: '',
  endsAt: '2030-06-01T12:30',
  winnerMode: 'lucky_draw',
  winnerCount: '3',
  prizes: [
    { key: 'a', name: ' A bike ', description: ' 7 speeds ' },
    { key: 'b', name: '', description: 'a prize without a name is no prize' },
    // A row of zero-width characters shows as empty, and the server would refuse it.
    { key: 'c', name: '\u200B\u2060 ', description: '' },
  ],
  tasks: [
    { key: 't1', websiteId: 'web_1', event: 'sign_up', name: 'Create an account', requiredAmount: '1' },
    { key: 't2', websiteId: 'web_1', event: ' like_article ', name: 'Like 3 articles', requiredAmount: '3' },
  ],
  entryChallenge: 'pow',
  requireVerifiedEmail: true,
  ...over,
});

describe('giveaway form', () => {
  it('round-trips local date-times through ISO instants', () => {
    const iso = fromLocalInput('2030-06-01T12:30');
    expect(iso).not.toBeNull();
    expect(toLocalInput(iso)).toBe('2030-06-01T12:30');
    expect(fromLocalInput('')).toBeNull();
    expect(toLocalInput(null)).toBe('');
  });

  it('creates with numbers, trimmed events and prizes, and without empty times', () => {
    const body = createBody(form());
    expect(body).toMatchObject({
      winnerCount: 3,
      prizes: [{ name: 'A bike', description: '7 speeds' }],
      entryChallenge: 'pow',
      requireVerifiedEmail: true,
    });
    expect(body.tasks.map((t) => [t.event, t.requiredAmount])).toEqual([
      ['sign_up', 1],
      ['like_article', 3],
    ]);
    expect('startsAt' in body).toBe(false);
    expect(body.endsAt).toBe(fromLocalInput('2030-06-01T12:30'));
  });

  it('sends a published giveaway only what may still change, and clears a draft time with null', () => {
    expect(Object.keys(patchBody(form(), ['title', 'description', 'endsAt']))).toEqual([
      'title',
      'description',
      'endsAt',
    ]);
    expect(patchBody(form({ endsAt: '' }), ['title', 'description', 'endsAt'])).not.toHaveProperty('endsAt');
    const draft = patchBody(form({ endsAt: '' }), EDITABLE_FIELDS);
    expect(draft).toMatchObject({
      startsAt: null,
      endsAt: null,
      winnerCount: 3,
      entryChallenge: 'pow',
      requireVerifiedEmail: true,
    });
    expect(draft.tasks).toHaveLength(2);
  });

  it("keeps a prize's details through an edit, and sends none for a prize without", () => {
    const saved = form({
      prizes: [
        { key: 'a', name: 'Gold', description: 'A city bike' },
        { key: 'b', name: 'Silver', description: ' ' },
      ],
    });
    expect(patchBody(saved, EDITABLE_FIELDS).prizes).toEqual([
      { name: 'Gold', description: 'A city bike' },
      { name: 'Silver' },
    ]);
  });
});

describe('a new task row', () => {
  it('takes the first preset event its website has no task for, so it is not refused as a repeat', () => {
    const first = emptyTask('web_a');
    expect(first.event).toBe('sign_up');
    const second = emptyTask('web_a', [first]);
    expect(second.event).toBe('deposit');
    expect(emptyTask('web_b', [first, second]).event).toBe('sign_up');
    const all = PRESET_EVENTS.map((event) => ({ ...first, event }));
    expect(emptyTask('web_a', all).event).toBe('');
  });
});

describe('prizesNote', () => {
  const prizes = (...names: string[]) => names.map((name, i) => ({ key: String(i), name, description: '' }));

  it('says which winners get no named prize, blank rows not counted', () => {
    expect(prizesNote(form())).toBe('The 2nd and 3rd winners get no named prize.');
    expect(prizesNote(form({ prizes: prizes('Gold', '', 'Silver') }))).toBe(
      'The 3rd winner gets no named prize.',
    );
    expect(prizesNote(form({ winnerCount: '5' }))).toBe('The 2nd to 5th winners get no named prize.');
  });

  it('says which prizes nobody gets', () => {
    expect(prizesNote(form({ winnerCount: '1', prizes: prizes('Gold', 'Silver', 'Bronze') }))).toBe(
      'With 1 winner, nobody gets Silver and Bronze.',
    );
  });

  it('says nothing when they match, without prizes, or without a number of winners', () => {
    expect(prizesNote(form({ prizes: prizes('Gold', 'Silver', 'Bronze') }))).toBeNull();
    expect(prizesNote(form({ prizes: [] }))).toBeNull();
    expect(prizesNote(form({ winnerCount: '' }))).toBeNull();
  });
});
