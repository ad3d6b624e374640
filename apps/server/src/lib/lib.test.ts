import { describe, expect, it, vi } from 'vitest';
import { API_KEY_LENGTH, newApiKey, verifyingKeys } from '../projects/api-key.js';
import { systemAlarm } from './clock.js';
import { csvField, csvLine } from './csv.js';
import { normaliseEmail } from './email.js';
import { randomAlphanumeric } from './random.js';

describe('API keys', () => {
  it('are 64 characters of [A-Za-z0-9], different each time', () => {
    const keys = new Set(Array.from({ length: 200 }, newApiKey));
    expect(keys.size).toBe(200);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(API_KEY_LENGTH).toBe(64);
  });

  it('use every symbol about equally (no modulo bias)', () => {
    const counts = new Map<string, number>();
    for (const c of randomAlphanumeric(620_000)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // Expected 10,000 each; modulo bias would give the first 8 symbols about 10,600.
    for (const n of counts.values()) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });

  it('verify with the previous key only during its grace period', () => {
    const project = { api_key: 'new', previous_api_key: 'old', previous_key_expires_at: 100 };
    expect(verifyingKeys(project, 99)).toEqual(['new', 'old']);
    expect(verifyingKeys(project, 100)).toEqual(['new']);
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and neutralises formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('a;=1+1')).toBe('"a;=1+1"');
    expect(csvField(' =1+1')).toBe("' =1+1");
    expect(csvField('"=1+1"')).toBe(`"'""=1+1"""`);
    expect(csvField("'@SUM(A1)")).toBe("''@SUM(A1)");
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
    expect(csvLine(['a', 1, true])).toBe('a,1,true\r\n');
  });
});

describe('the system alarm', () => {
  it('waits out an alarm further away than the longest timeout Node takes, and rings it once, on time', () => {
    vi.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z') });
    try {
      const timeouts = vi.spyOn(globalThis, 'setTimeout');
      const rung: number[] = [];
      const in40Days = Date.now() + 40 * 86_400_000;
      systemAlarm(in40Days, () => rung.push(Date.now()));
      expect(timeouts.mock.calls.map(([, ms]) => ms)).toEqual([2 ** 31 - 1]);
      vi.advanceTimersByTime(2 ** 31);
      expect(rung).toEqual([]);
      vi.advanceTimersByTime(in40Days - Date.now() - 1);
      expect(rung).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(rung).toEqual([in40Days]);
      vi.advanceTimersByTime(86_400_000);
      expect(rung).toEqual([in40Days]);
    } finally {
      vi.restoreAllMocks();
      vi.useRealTimers();
    }
  });

  it('rings a time already past soon, not within the call, and never once cancelled', () => {
    vi.useFakeTimers();
    try {
      const rung: string[] = [];
      systemAlarm(Date.now() - 1000, () => rung.push('past'));
      const cancel = systemAlarm(Date.now() + 1000, () => rung.push('cancelled'));
      expect(rung).toEqual([]);
      cancel();
      vi.advanceTimersByTime(2000);
      expect(rung).toEqual(['past']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('emails', () => {
  it('are one address however they were typed: spaces, case, and a letter composed or not', () => {
    const composed = 'J\u00e4ger@Example.COM ';
    const decomposed = ' ja\u0308ger@example.com';
    expect(normaliseEmail(composed)).toBe('j\u00e4ger@example.com');
    expect(normaliseEmail(decomposed)).toBe(normaliseEmail(composed));
  });
});
