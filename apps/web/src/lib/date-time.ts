/**
 * A moment as people read it, with its time zone ("Nov 30, 2026, 7:17 AM UTC"): a host in one zone and
 * participants in others read the same end differently, and a time without its zone is read as theirs.
 */
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});

export const formatDateTime = (at: string | number | Date): string => dateTime.format(new Date(at));
