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
