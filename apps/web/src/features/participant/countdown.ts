const UNITS = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
] as const;

/**
 * Time left as people say it: the two largest units, in words ("2 days, 3 hours", "4 minutes, 12 seconds").
 * Words rather than "2d 03:15" so a screen reader that reaches it reads it well.
 */
export function formatTimeLeft(ms: number): string {
  if (ms < 1000) return 'less than a second';
  const parts: string[] = [];
  let rest = ms;
  for (const [name, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count} ${name}${count === 1 ? '' : 's'}`);
    if (parts.length === 2) break;
  }
  return parts.filter((part) => !part.startsWith('0 ')).join(', ');
}

/** How often the countdown must redraw to stay right: every second in the last hour, else every minute. */
export function tickInterval(ms: number): number {
  return ms <= 3_600_000 ? 1000 : 60_000;
}
