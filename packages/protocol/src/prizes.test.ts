import { describe, expect, it } from 'vitest';
import { awardedPrizes, prizeForRank } from './prizes.js';

const gold = { name: 'Gold' };
const silver = { name: 'Silver', description: 'a smaller one' };

describe('prizes by rank', () => {
  it('give the prize listed i-th to the winner of rank i, in the host’s order', () => {
    expect(prizeForRank([gold, silver], 1)).toBe(gold);
    expect(prizeForRank([gold, silver], 2)).toBe(silver);
  });

  it('give a winner ranked past the end of the list no named prize', () => {
    expect(prizeForRank([gold, silver], 3)).toBeNull();
    expect(prizeForRank([], 1)).toBeNull();
  });

  it('give a single prize to winner #1 alone', () => {
    expect(prizeForRank([gold], 1)).toBe(gold);
    expect(prizeForRank([gold], 2)).toBeNull();
  });

  it('know no rank below 1 or between whole numbers', () => {
    expect(prizeForRank([gold], 0)).toBeNull();
    expect(prizeForRank([gold], -1)).toBeNull();
    expect(prizeForRank([gold, silver], 1.5)).toBeNull();
  });

  it('award only the prizes some winner can get', () => {
    expect(awardedPrizes([gold, silver], 5)).toEqual([
      { rank: 1, prize: gold },
      { rank: 2, prize: silver },
    ]);
    expect(awardedPrizes([gold, silver], 1)).toEqual([{ rank: 1, prize: gold }]);
    expect(awardedPrizes([], 3)).toEqual([]);
  });
});
