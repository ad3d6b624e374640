import { describe, expect, it } from 'vitest';
import { logTime } from './log-time';

describe('logTime', () => {
  const now = new Date(2026, 10, 29, 18, 30);

  it("shows the time alone for today's rows", () => {
    expect(logTime(new Date(2026, 10, 29, 9, 5, 7), now, 'en-US')).toMatch(/^9:05:07\sAM$/);
  });

  it("adds the date to an earlier day's rows", () => {
    expect(logTime(new Date(2026, 10, 28, 23, 59, 1), now, 'en-US')).toMatch(/^Nov 28, 2026, 11:59:01\sPM$/);
  });
});
