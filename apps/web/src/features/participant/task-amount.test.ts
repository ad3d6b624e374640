import { describe, expect, it } from 'vitest';
import { timesNote } from './task-amount';

describe('timesNote', () => {
  it('says how many times a task is done, when it is more than once', () => {
    expect(timesNote('Play the quiz', 3)).toBe('3 times');
    expect(timesNote('Create an account', 1)).toBeUndefined();
  });

  it('says nothing when the name already holds the number', () => {
    expect(timesNote('Like 3 articles', 3)).toBeUndefined();
    expect(timesNote('Play 3x', 3)).toBeUndefined();
    expect(timesNote('Top 30 players', 3)).toBe('3 times');
    expect(timesNote('Like 13 articles', 3)).toBe('3 times');
  });
});
