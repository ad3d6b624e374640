/**
 * Why a call failed without a verdict from Proofdrop:
 * - `invalid_options`: the client's options or the call's arguments are wrong (not retried);
 * - `network_error`, `timeout`, `server_error`, `rate_limited`: the last attempt's failure, once every retry is spent;
 * - `unexpected_response`: something answered that is not Proofdrop (check `baseUrl`);
 * - `webhook_invalid`: a webhook delivery that does not verify (see {@link verifyWebhook}).
 */
export type ProofdropErrorCode =
  | 'invalid_options'
  | 'network_error'
  | 'timeout'
  | 'server_error'
  | 'rate_limited'
  | 'unexpected_response'
  | 'webhook_invalid';

const BRAND = Symbol.for('@proofdrop/sdk:ProofdropError');

/**
 * The one error the SDK throws. A callback that Proofdrop refuses (a bad signature, an unknown event) is not
 * an error: `sendCallback` resolves with its verdict.
 *
 * @example
 * try {
 *   await proofdrop.sendCallback({ trackId, event: 'deposit', remark: depositId });
 * } catch (error) {
 *   if (error instanceof ProofdropError && error.code !== 'invalid_options') queueForLater(depositId);
 *   else throw error;
 * }
 */
export class ProofdropError extends Error {
  /**
   * `instanceof` holds across copies of the class: an app that loads the SDK both as ESM and as CommonJS
   * (a dependency requiring it) has two, and an error thrown by one would fail the other's check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
  /** On the prototype, not the instance: a copy of an error's fields (`{ ...error }`) is no error. */
  get [BRAND](): true {
    return true;
  }
  override readonly name = 'ProofdropError';
  /** What went wrong, for code to branch on. */
  readonly code: ProofdropErrorCode;
  /** How many requests were made before giving up (0 when none was). */
  readonly attempts: number;
  /** The HTTP status of the last answer, when there was one. */
  readonly status: number | undefined;

  constructor(
    code: ProofdropErrorCode,
    message: string,
    details: { attempts?: number; status?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.attempts = details.attempts ?? 0;
    this.status = details.status;
  }
}
