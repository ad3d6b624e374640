import { describe, expect, it } from 'vitest';
import { prizeRanks, rankSpan } from './prize-ranks';

const gold = { name: 'Gold' };
const silver = { name: 'Silver' };
const bronze = { name: 'Bronze' };

describe('prizeRanks', () => {
  it('gives the prizes to winners #1, #2… in the listed order', () => {
    expect(prizeRanks([gold, silver], 2)).toEqual({
      awarded: [
        { rank: 1, prize: gold },
        { rank: 2, prize: silver },
      ],
      withoutPrize: null,
      unawarded: [],
    });
  });

  it('names the winners past the end of the list, who get no named prize', () => {
    expect(prizeRanks([gold, silver], 3).withoutPrize).toEqual({ from: 3, to: 3 });
    expect(prizeRanks([gold], 5).withoutPrize).toEqual({ from: 2, to: 5 });
  });

  it('names the prizes past the number of winners, which nobody gets', () => {
    expect(prizeRanks([gold, silver, bronze], 1)).toEqual({
      awarded: [{ rank: 1, prize: gold }],
      withoutPrize: null,
      unawarded: [silver, bronze],
    });
  });

  it('says nothing of ranks when there are no prizes', () => {
    expect(prizeRanks([], 3)).toEqual({ awarded: [], withoutPrize: null, unawarded: [] });
  });
});

describe('rankSpan', () => {
  it('reads one rank, two, or a run of them', () => {
    expect(rankSpan({ from: 3, to: 3 })).toBe('3rd');
    expect(rankSpan({ from: 2, to: 3 })).toBe('2nd and 3rd');
    expect(rankSpan({ from: 2, to: 5 })).toBe('2nd to 5th');
  });
});
