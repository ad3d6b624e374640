import { describe, expect, it } from 'vitest';
import { parseIsoTime } from './iso-time.js';

describe('parseIsoTime', () => {
  it('reads RFC 3339 times with their offset, seconds and fraction optional', () => {
    expect(parseIsoTime('2030-01-01T12:00:00Z')).toBe(Date.UTC(2030, 0, 1, 12));
    expect(parseIsoTime('2030-01-01T12:00:00.123Z')).toBe(Date.UTC(2030, 0, 1, 12, 0, 0, 123));
    expect(parseIsoTime('2030-01-01T12:00:00.123456789Z')).toBe(Date.UTC(2030, 0, 1, 12, 0, 0, 123));
    expect(parseIsoTime('2030-01-01T14:00+02:00')).toBe(Date.UTC(2030, 0, 1, 12));
    expect(parseIsoTime('2030-01-01t07:30:00-04:30')).toBe(Date.UTC(2030, 0, 1, 12));
    expect(parseIsoTime('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
  });

  it('refuses what Date.parse would guess at: other formats, days that do not exist, no offset', () => {
    for (const text of [
      'Jan 1 2030',
      '12/31/2030',
      '2030',
      '2030-01-01',
      '2030-01-01T12:00:00',
      '  2030-01-01T12:00:00Z  ',
      '2030-02-30T00:00:00Z',
      '2029-02-29T00:00:00Z',
      '2030-13-01T00:00:00Z',
      '2030-01-01T24:00:00Z',
      '2030-01-01T12:60:00Z',
      '2030-01-01T12:00:00+24:00',
      '+275760-09-13T00:00:00Z',
      '-0',
      '0050-01-01T00:00:00Z',
      // Valid text whose instant the API could not write back the same way: year 10000, and 1969.
      '9999-12-31T23:59:59-23:59',
      '1970-01-01T00:00:00+01:00',
    ]) {
      expect(parseIsoTime(text), text).toBeUndefined();
    }
  });

  it('takes the first and last instants the API writes back as it takes them', () => {
    for (const text of ['1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59+01:00']) {
      const at = parseIsoTime(text) as number;
      expect(new Date(at).toISOString(), text).toMatch(/^\d{4}-/);
    }
  });
});
