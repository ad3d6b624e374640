const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/i;

/** What a field that is not such a time is told. */
export const NOT_A_TIME =
  'must be an ISO 8601 time with its offset, from 1970 to 9999 in UTC, e.g. 2030-01-31T18:00:00Z';

/**
 * An RFC 3339 time (`2030-01-01T12:00:00Z`, `2030-01-01T14:00+02:00`) as epoch milliseconds; undefined for
 * anything else. `Date.parse` alone takes "Jan 1 2030" or "12/31/2030" in the server's own time zone, and
 * rolls 2030-02-30 over into March, so a host would get a time other than the one they meant.
 */
export function parseIsoTime(text: string): number | undefined {
  const match = ISO_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = '0', fraction = '', zulu, sign, offsetH = '0', offsetMi = '0'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Before 1970 is no giveaway's time, and Date.UTC would read years below 100 as 19xx.
  const valid =
    year >= 1970 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= new Date(Date.UTC(year, month, 0)).getUTCDate() &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    Number(offsetH) <= 23 &&
    Number(offsetMi) <= 59;
  if (!valid) return undefined;
  const offsetMinutes = zulu ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetH) * 60 + Number(offsetMi));
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const at = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  // The instant itself, once its offset is taken off, must be one the API can answer again as it takes
  // it: 9999-12-31T23:59-23:59 is in the year 10000, and 1970-01-01T00:00+01:00 in 1969.
  return at >= 0 && at <= LATEST ? at : undefined;
}

/** 9999-12-31T23:59:59.999Z: later, an ISO 8601 year needs more than four digits. */
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
