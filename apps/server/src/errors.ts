import { ERROR_STATUS, type ErrorCode, type FieldError } from '@proofdrop/contract';

/** A failure the caller can act on; the message is shown to them as is. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For 429 and 503: when to try again (the Retry-After header); 1 s unless said. */
    readonly retryAfterSeconds?: number,
    /** The body's fields the message is about, for a form to show beside each input. */
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);

/**
 * Two rotations at once (a double click, a retry) would each answer a new key, and the one that lost would
 * never work, nor would the grace the first promised the key in use: the second is refused instead.
 */
export const rotatedMeanwhile = (what: 'key' | 'secret') =>
  new AppError('invalid_state', `the ${what} was rotated meanwhile: reload to see the current one`);
