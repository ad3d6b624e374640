/**
 * When to try a callback again. Exponential backoff with full jitter (a random wait between 0 and
 * 0.5 s, 1 s, 2 s, 4 s, … up to 8 s), so many servers retrying after the same outage spread out instead of
 * arriving together; a `Retry-After` from Proofdrop is followed instead, when it asks for a minute or less.
 */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 8_000;
/** A longer `Retry-After` is not one a caller should block on: the normal backoff applies instead. */
export const RETRY_AFTER_MAX_MS = 60_000;

/** The wait before retry number `retry` (1 for the first retry). */
export function backoffDelay(retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** A `Retry-After` header (seconds or an HTTP date) as milliseconds from `now`, when it is usable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms) || ms < 0 || ms > RETRY_AFTER_MAX_MS) return undefined;
  return Math.ceil(ms);
}

/** Network errors, timeouts (408 too), 5xx and 429 may succeed on a later try; any other answer is final. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** What a retryable status is called once every retry is spent. */
export function failureCode(status: number): 'rate_limited' | 'timeout' | 'server_error' {
  return status === 429 ? 'rate_limited' : status === 408 ? 'timeout' : 'server_error';
}
