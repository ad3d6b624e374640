/** Every error code the API answers with, and its HTTP status: one place to read them all. */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  invalid_signature: 401,
  forbidden: 403,
  not_found: 404,
  unknown_track_id: 404,
  method_not_allowed: 405,
  email_taken: 409,
  already_entered: 409,
  giveaway_not_live: 409,
  invalid_state: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unknown_event: 422,
  unprocessable: 422,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A failure the caller can act on; the message is shown to them as is. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For 429 and 503: when to try again (the Retry-After header); 1 s unless said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
