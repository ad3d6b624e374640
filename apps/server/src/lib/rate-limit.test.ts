import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

const takes = (limiter: RateLimiter, key: string, now: number, times: number) =>
  Array.from({ length: times }, () => limiter.take(key, now));

describe('RateLimiter', () => {
  it('allows a burst, then the sustained rate, per key', () => {
    const limiter = new RateLimiter(2, 4);
    expect(takes(limiter, 'a', 0, 5)).toEqual([true, true, true, true, false]);
    expect(limiter.take('b', 0)).toBe(true);
    expect(takes(limiter, 'a', 500, 2)).toEqual([true, false]);
    expect(takes(limiter, 'a', 10_000, 5)).toEqual([true, true, true, true, false]);
  });

  it('tells whether a key has a token without taking it, and takes a returned token back', () => {
    const limiter = new RateLimiter(1, 1);
    expect(limiter.allows('a', 0)).toBe(true);
    expect(limiter.take('a', 0)).toBe(true);
    expect(limiter.allows('a', 0)).toBe(false);
    limiter.giveBack('a');
    expect(limiter.allows('a', 0)).toBe(true);
  });

  it('limits nothing at a rate of 0', () => {
    expect(takes(new RateLimiter(0), 'a', 0, 1000).every(Boolean)).toBe(true);
  });

  it('forgets keys past its bound first-seen first, which gives them a full bucket again', () => {
    const limiter = new RateLimiter(1, 1, 2);
    expect(limiter.take('a', 0)).toBe(true);
    expect(limiter.take('b', 0)).toBe(true);
    expect(limiter.take('a', 0)).toBe(false);
    expect(limiter.take('c', 0)).toBe(true);
    expect(limiter.take('b', 0)).toBe(false);
    expect(limiter.take('a', 0)).toBe(true);
  });
});
