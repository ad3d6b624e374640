import {
  CALLBACK_VERDICT_CODES,
  type CallbackVerdictCode,
  type CallbackVerdict as ContractVerdict,
} from '@proofdrop/contract';
import { remarkReadsAsV2, signedCallbackBody, V2_MAX_SKEW_SECONDS } from '@proofdrop/protocol';
import { ProofdropError, type ProofdropErrorCode } from './errors.js';
import { backoffDelay, failureCode, isRetryableStatus, retryAfterMs } from './retry-policy.js';

/**
 * Proofdrop's answer to a callback: `{ ok, code, message }`, with `progress: { count, required }` once the
 * callback reached a task, and `eligible` when it completed one. `code` is one of the answers no retry
 * would change (`recorded`, `completed`, `duplicate`, `verified`, or a refusal such as `invalid_signature`);
 * a rate limit or an outage is retried, then thrown.
 */
export type CallbackVerdict = ContractVerdict;

/** The `code` of a {@link CallbackVerdict}. */
export type VerdictCode = CallbackVerdictCode;

export type ClientOptions = {
  /** The project's API key, from the dashboard. It signs every callback: keep it on your server. */
  apiKey: string;
  /** Where your Proofdrop runs, e.g. `https://giveaways.example.com`. */
  baseUrl: string;
  /** Retries after the first attempt (default 3; 0 turns retrying off). */
  maxRetries?: number;
  /** How long one attempt may take, in milliseconds (default 10 000). */
  timeoutMs?: number;
  /** A `fetch` to use instead of the global one (a proxy, instrumentation, tests). */
  fetch?: typeof fetch;
  /**
   * `'v1'` (default) signs the seed's canonical string, which never expires. `'v2'` adds the current unix
   * time as `ts` and signs it too, so a captured callback cannot be replayed once 5 minutes old. Retries
   * send the first attempt's bytes, so the server takes a retry of a counted callback as its duplicate;
   * only a retry 4 minutes or more after the first attempt is dated anew. Switch the client to `'v2'`
   * first, then the project.
   */
  signatureVersion?: SignatureVersion;
  /** The clock that dates v2 signatures, in milliseconds since the epoch like `Date.now` (the default). */
  now?: () => number;
};

/** Which callback signature the client sends: see {@link ClientOptions.signatureVersion}. */
export type SignatureVersion = 'v1' | 'v2';

/** What the participant did: the `track_id` they arrived with, the task's event, and the unit it names. */
export type CallbackInput = {
  trackId: string;
  event: string;
  /**
   * Names the unit of a counted task (an article id, an order id): the same remark counts once, which is
   * what makes a retry safe. Give one whenever the action has an id; a whole number is sent as its digits.
   */
  remark?: string | number | undefined;
};

export type ProofdropClient = {
  /**
   * Proves a participant's action to Proofdrop. Resolves with Proofdrop's verdict, success or not
   * (`ok: false` with `invalid_signature`, `unknown_event`, … is an answer, not an error); retries network
   * errors, timeouts, 5xx and 429. A retry of a callback that was counted before its answer got lost comes
   * back `duplicate`, `ok: true`.
   *
   * @throws {ProofdropError} when the arguments are wrong, or every retry failed.
   * @example
   * const verdict = await proofdrop.sendCallback({ trackId, event: 'like_article', remark: article.id });
   * if (!verdict.ok) console.warn('Proofdrop refused the callback:', verdict.code, verdict.message);
   */
  sendCallback(input: CallbackInput): Promise<CallbackVerdict>;
};

type Failure = {
  code: ProofdropErrorCode;
  message: string;
  status?: number;
  retryAfterMs?: number | undefined;
  cause?: unknown;
};

/**
 * A client for one project. Create it once, on your server, and share it.
 *
 * @throws {ProofdropError} `invalid_options` when an option is missing or malformed.
 * @example
 * import { createClient } from '@proofdrop/sdk';
 *
 * const proofdrop = createClient({
 *   apiKey: process.env.PROOFDROP_API_KEY,
 *   baseUrl: 'https://giveaways.example.com',
 * });
 * await proofdrop.sendCallback({ trackId: user.trackId, event: 'sign_up', remark: user.id });
 *
 * // v2 signatures: each callback is dated and refused once 5 minutes old, so it cannot be replayed.
 * const dated = createClient({ apiKey, baseUrl, signatureVersion: 'v2' });
 */
export function createClient(options: ClientOptions): ProofdropClient {
  const {
    apiKey,
    baseUrl,
    maxRetries = 3,
    timeoutMs = 10_000,
    signatureVersion = 'v1',
    now = Date.now,
  } = options ?? ({} as ClientOptions);
  if (typeof apiKey !== 'string' || apiKey === '') invalid('apiKey must be the project API key');
  if (!Number.isInteger(maxRetries) || maxRetries < 0) invalid('maxRetries must be a whole number ≥ 0');
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) invalid('timeoutMs must be a number of ms > 0');
  if (signatureVersion !== 'v1' && signatureVersion !== 'v2')
    invalid('signatureVersion must be "v1" or "v2"');
  if (typeof now !== 'function') invalid('now must be a function returning milliseconds, like Date.now');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') invalid('no fetch: pass options.fetch on a runtime without one');
  const endpoint = callbackUrl(baseUrl);

  async function attempt(
    body: string,
    attempts: number,
  ): Promise<{ verdict: CallbackVerdict } | { failure: Failure }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal: controller.signal,
        // A redirect would be followed as a GET, or would have sent the signed body over plain HTTP first.
        redirect: 'manual',
      });
      // A browser's fetch hides a redirect it did not follow (type opaqueredirect, status 0).
      if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get('location');
        throw new ProofdropError(
          'unexpected_response',
          `${endpoint} answered HTTP ${response.status}, a redirect${location ? ` to ${location}` : ''}: set baseUrl to the address Proofdrop is served at${location ? ' (likely its https:// one)' : ''}`,
          { attempts, status: response.status },
        );
      }
      const retryable = isRetryableStatus(response.status);
      // A retryable answer's body only adds its message: one that fails or hangs must not hide the status.
      const text = retryable ? await response.text().catch(() => '') : await response.text();
      const answer = parseAnswer(text);
      if (retryable) {
        return {
          failure: {
            code: failureCode(response.status),
            message: `Proofdrop answered HTTP ${response.status}${answer ? `: ${answer.message}` : ''}`,
            status: response.status,
            retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
          },
        };
      }
      if (!answer || !isVerdictCode(answer.code)) {
        // Proofdrop's own 404 for a path that is not the callback's has the answer's shape: a wrong baseUrl.
        const said = answer ? ` (${answer.code}: ${answer.message})` : '';
        throw new ProofdropError(
          'unexpected_response',
          `${endpoint} answered HTTP ${response.status}${said}, which is not a callback's verdict: is baseUrl right?`,
          { attempts, status: response.status },
        );
      }
      return { verdict: answer as CallbackVerdict };
    } catch (error) {
      if (error instanceof ProofdropError) throw error;
      return controller.signal.aborted
        ? { failure: { code: 'timeout', message: `no answer within ${timeoutMs} ms`, cause: error } }
        : { failure: { code: 'network_error', message: `could not reach ${endpoint}`, cause: error } };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async sendCallback(input) {
      const { trackId, event, remark } = input ?? ({} as CallbackInput);
      if (typeof trackId !== 'string' || trackId === '') invalid('trackId must be the track_id string');
      if (typeof event !== 'string' || event === '') invalid('event must be the task event, e.g. sign_up');
      if (remark !== undefined && typeof remark !== 'string' && !Number.isSafeInteger(remark))
        invalid('remark must be a string or a whole number when given');
      const remarkText = remark === undefined ? undefined : String(remark);
      // A remark ending in "&ts=<digits>" verifies only as v2 (its v1 string is a v2 callback's), and every
      // project takes v2, so such a callback is dated whatever the client's version.
      const dated = signatureVersion === 'v2' || remarkReadsAsV2({ trackId, event, remark: remarkText });
      const sign = () => {
        const ts = dated ? Math.floor(now() / 1000) : undefined;
        const fields = { trackId, event, remark: remarkText, ts };
        return { ts, body: JSON.stringify(signedCallbackBody(apiKey, fields)) };
      };
      let signed = sign();
      for (let attempts = 1; ; attempts++) {
        // Every retry sends the same bytes, which the server's replay window counts once even without a
        // remark; only a dated signature about to go stale (a long Retry-After) is made anew.
        if (signed.ts !== undefined && now() / 1000 - signed.ts > RESIGN_AFTER_S) signed = sign();
        const outcome = await attempt(signed.body, attempts);
        if ('verdict' in outcome) return outcome.verdict;
        const { failure } = outcome;
        if (attempts > maxRetries) {
          throw new ProofdropError(
            failure.code,
            `${failure.message} (gave up after ${attempts === 1 ? '1 attempt' : `${attempts} attempts`})`,
            {
              attempts,
              ...(failure.status === undefined ? {} : { status: failure.status }),
              cause: failure.cause,
            },
          );
        }
        await sleep(failure.retryAfterMs ?? backoffDelay(attempts));
      }
    },
  };
}

/** A dated signature is kept for retries this long: well inside the server's ±5 minutes, clocks drifting. */
const RESIGN_AFTER_S = V2_MAX_SKEW_SECONDS - 60;

function callbackUrl(baseUrl: unknown): string {
  if (typeof baseUrl === 'string' && URL.canParse(baseUrl)) {
    const base = new URL(baseUrl);
    if (base.protocol === 'http:' || base.protocol === 'https:') {
      // Relative to the base's path, so a Proofdrop served under a path prefix works too.
      if (!base.pathname.endsWith('/')) base.pathname += '/';
      return new URL('api/callback', base).toString();
    }
  }
  return invalid('baseUrl must be the http(s) URL of your Proofdrop, e.g. https://giveaways.example.com');
}

type Answer = { ok: boolean; code: string; message: string };

/** Every Proofdrop answer has this shape; anything else came from something in between. */
function parseAnswer(text: string): Answer | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { ok, code, message } = value as Record<string, unknown>;
    if (typeof ok !== 'boolean' || typeof code !== 'string' || typeof message !== 'string') return undefined;
    return value as Answer;
  } catch {
    return undefined;
  }
}

const VERDICT_CODES: ReadonlySet<string> = new Set(CALLBACK_VERDICT_CODES);

function isVerdictCode(code: string): code is VerdictCode {
  return VERDICT_CODES.has(code);
}

function invalid(message: string): never {
  throw new ProofdropError('invalid_options', message);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
