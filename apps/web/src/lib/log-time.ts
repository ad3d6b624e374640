/** A log row's time: the time alone when it is today's, with its date otherwise, in the reader's locale. */
export function logTime(at: Date, now: Date, locale?: string): string {
  const today = at.toDateString() === now.toDateString();
  return today
    ? at.toLocaleTimeString(locale)
    : at.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}
