import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, retryAfterMs } from '../src/retry-policy.js';

describe('the retry schedule', () => {
  it('waits a random time below 0.5 s, 1 s, 2 s, 4 s, 8 s, then 8 s at most', () => {
    const almostOne = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 9].map((retry) => backoffDelay(retry, almostOne))).toEqual([
      499, 999, 1999, 3999, 7999, 7999, 7999,
    ]);
  });

  it('jitters over the whole range, down to no wait at all', () => {
    expect(backoffDelay(3, () => 0)).toBe(0);
    expect(backoffDelay(3, () => 0.5)).toBe(1000);
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(retryAfterMs('1', now)).toBe(1000);
    expect(retryAfterMs('0.25', now)).toBe(250);
    expect(retryAfterMs('Tue, 01 Jan 2030 00:00:30 GMT', now)).toBe(30_000);
  });

  it('ignores a Retry-After that is missing, malformed, in the past or over a minute', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    for (const header of [null, '', 'soon', '-1', '61', 'Mon, 31 Dec 2029 23:59:00 GMT']) {
      expect(retryAfterMs(header, now)).toBeUndefined();
    }
  });

  it('retries 429 and 5xx, and no other status', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 404, 409, 413, 415, 422].some(isRetryableStatus)).toBe(false);
  });
});
