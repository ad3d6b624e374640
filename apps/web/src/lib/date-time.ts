/**
 * A moment as people read it, with its time zone ("Nov 30, 2026, 7:17 AM UTC"): a host in one zone and
 * participants in others read the same end differently, and a time without its zone is read as theirs.
 */
export const DATE_TIME_PARTS = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
} as const;
const toMinutes = new Intl.DateTimeFormat(undefined, DATE_TIME_PARTS);
const toSeconds = new Intl.DateTimeFormat(undefined, { ...DATE_TIME_PARTS, second: '2-digit' });

/** `seconds`: for a proof's times, where the order of two moments a second apart matters. */
export const formatDateTime = (at: string | number | Date, { seconds = false } = {}): string =>
  (seconds ? toSeconds : toMinutes).format(new Date(at));
