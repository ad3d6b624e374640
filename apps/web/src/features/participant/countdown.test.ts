import { describe, expect, it } from 'vitest';
import { formatTimeLeft, tickInterval } from './countdown';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('formatTimeLeft', () => {
  it('says the two largest units in words', () => {
    expect(formatTimeLeft(2 * d + 3 * h + 15 * m)).toBe('2 days, 3 hours');
    expect(formatTimeLeft(3 * h + 5 * m + 9 * s)).toBe('3 hours, 5 minutes');
    expect(formatTimeLeft(4 * m + 12 * s)).toBe('4 minutes, 12 seconds');
    expect(formatTimeLeft(12 * s + 400)).toBe('12 seconds');
  });

  it('uses the singular for one, and leaves out a zero second unit', () => {
    expect(formatTimeLeft(d + h)).toBe('1 day, 1 hour');
    expect(formatTimeLeft(d + 30 * m)).toBe('1 day');
    expect(formatTimeLeft(m)).toBe('1 minute');
  });

  it('never shows a negative or empty time', () => {
    expect(formatTimeLeft(0)).toBe('less than a second');
    expect(formatTimeLeft(-5 * s)).toBe('less than a second');
  });
});

describe('tickInterval', () => {
  it('redraws every second only in the last hour', () => {
    expect(tickInterval(59 * m)).toBe(1000);
    expect(tickInterval(2 * h)).toBe(60_000);
  });
});
