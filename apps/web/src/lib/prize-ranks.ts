import type { Prize } from '@proofdrop/contract';
import { awardedPrizes } from '@proofdrop/protocol';
import { ordinal } from './plural';

export type PrizeRanks = {
  /** Each prize some winner gets, with the rank that gets it. */
  awarded: { rank: number; prize: Prize }[];
  /** The ranks past the end of the list, whose winners get no named prize; null when every winner has one. */
  withoutPrize: { from: number; to: number } | null;
  /** The prizes listed past the number of winners, which nobody gets. */
  unawarded: Prize[];
};

/**
 * Which winner gets which prize, by the rule of `prizeForRank` (@proofdrop/protocol), put the way the
 * pages say it. A giveaway without prizes has no winners without one: it names no prize at all.
 */
export function prizeRanks(prizes: readonly Prize[], winnerCount: number): PrizeRanks {
  const awarded = awardedPrizes(prizes, winnerCount);
  const from = awarded.length + 1;
  const withoutPrize = prizes.length === 0 || from > winnerCount ? null : { from, to: winnerCount };
  return { awarded, withoutPrize, unawarded: prizes.slice(awarded.length) };
}

/** Ranks as words: `3rd`, `3rd and 4th`, `3rd to 5th`. */
export function rankSpan({ from, to }: { from: number; to: number }): string {
  if (from === to) return ordinal(from);
  return `${ordinal(from)} ${to === from + 1 ? 'and' : 'to'} ${ordinal(to)}`;
}
