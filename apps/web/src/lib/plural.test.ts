import { describe, expect, it } from 'vitest';
import { countOf, nounFor, ordinal } from './plural';

describe('countOf', () => {
  it('says one in the singular and any other count, zero included, in the plural', () => {
    expect(countOf(1, 'winner')).toBe('1 winner');
    expect(countOf(3, 'winner')).toBe('3 winners');
    expect(countOf(0, 'winner')).toBe('0 winners');
  });

  it('takes an irregular plural', () => {
    expect(countOf(1, 'entry', 'entries')).toBe('1 entry');
    expect(countOf(2, 'entry', 'entries')).toBe('2 entries');
  });
});

describe('nounFor', () => {
  it('gives the word alone, for a figure shown apart from it', () => {
    expect(nounFor(1, 'winner')).toBe('winner');
    expect(nounFor(2, 'winner')).toBe('winners');
  });
});

describe('ordinal', () => {
  it('reads a rank as English does, the teens included', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th',
    ]);
  });
});
