/** Milliseconds since the epoch; injected so tests can move time without waiting. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export const DAY_MS = 86_400_000;

/**
 * The time `hours` after `now`, to the whole millisecond: hours may be any fraction (a rotation's grace
 * window), and PostgreSQL refuses a fraction in the bigint columns that hold times.
 */
export const hoursAfter = (now: number, hours: number): number => Math.round(now + hours * 3_600_000);

/**
 * Calls `callback` once its clock reaches `at` (never synchronously); answers how to cancel. Injected beside
 * the clock, so a test that moves its clock also rings what was set for the time it moves past.
 */
export type Alarm = (at: number, callback: () => void) => () => void;

/** Node fires a longer timeout at once (with a warning), so a later alarm waits in steps of this. */
const LONGEST_TIMEOUT_MS = 2 ** 31 - 1;

/** An alarm on the system clock. Its timer does not keep the process alive. */
export const systemAlarm: Alarm = (at, callback) => {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const wait = Math.min(Math.max(at - Date.now(), 0), LONGEST_TIMEOUT_MS);
    // A timer may fire a millisecond early by the wall clock, or a step short of `at`: then it waits again.
    timer = setTimeout(() => (Date.now() >= at ? callback() : arm()), wait).unref();
  };
  arm();
  return () => clearTimeout(timer);
};
