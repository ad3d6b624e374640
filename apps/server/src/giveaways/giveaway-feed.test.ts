import type { PublicGiveaway } from '@proofdrop/contract';
import { describe, expect, it } from 'vitest';
import { GiveawayFeed } from './giveaway-feed.js';

/** The feed with its clock's alarms, its host announcements and its reads in the test's hands. */
function feedWithFakes() {
  const alarms: { at: number; ring: () => void; cancelled: boolean }[] = [];
  const hearing = new Set<() => void>();
  const answers: { endsAt: string; nextChangeAt: number | null }[] = [];
  let reads = 0;
  const feed = new GiveawayFeed(
    {
      publicState: async () => {
        reads++;
        const answer = answers.shift() ?? { endsAt: 'unchanged', nextChangeAt: null };
        return { giveaway: { endsAt: answer.endsAt } as PublicGiveaway, nextChangeAt: answer.nextChangeAt };
      },
    },
    {
      onGiveaway: (_id, listener) => {
        hearing.add(listener);
        return () => hearing.delete(listener);
      },
    },
    () => 0,
    (at, ring) => {
      const alarm = { at, ring, cancelled: false };
      alarms.push(alarm);
      return () => {
        alarm.cancelled = true;
      };
    },
    (error) => {
      throw error;
    },
  );
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const hostActs = () => {
    for (const listener of hearing) listener();
  };
  return { feed, alarms, hearing, answers, reads: () => reads, settle, hostActs };
}

describe('giveaway feed', () => {
  it('a moved endsAt sets a new alarm and cancels the old one', async () => {
    const { feed, alarms, answers, settle, hostActs } = feedWithFakes();
    answers.push({ endsAt: 'first', nextChangeAt: 1000 }, { endsAt: 'later', nextChangeAt: 5000 });
    const seen: string[] = [];
    feed.follow({ id: 'gw_1', slug: 's' }, (giveaway) => seen.push(giveaway.endsAt as string));
    await settle();
    hostActs();
    await settle();
    expect(seen).toEqual(['first', 'later']);
    expect(alarms.map(({ at, cancelled }) => [at, cancelled])).toEqual([
      [1000, true],
      [5000, false],
    ]);
  });

  it('the last stream to close cancels its alarm and stops hearing the host', async () => {
    const { feed, alarms, hearing, answers, reads, settle } = feedWithFakes();
    answers.push({ endsAt: 'first', nextChangeAt: 1000 });
    const stopOne = feed.follow({ id: 'gw_1', slug: 's' }, () => {});
    const stopTwo = feed.follow({ id: 'gw_1', slug: 's' }, () => {});
    await settle();
    expect(reads()).toBe(1);
    stopOne();
    expect(alarms[0]?.cancelled).toBe(false);
    expect(hearing.size).toBe(1);
    stopTwo();
    expect(alarms[0]?.cancelled).toBe(true);
    expect(hearing.size).toBe(0);
    // A stream opened afterwards starts a watch of its own, with a fresh read.
    feed.follow({ id: 'gw_1', slug: 's' }, () => {});
    await settle();
    expect(reads()).toBe(2);
  });
});
