import { createHmac, timingSafeEqual } from 'node:crypto';
import type {
  WebhookEventData as EventData,
  WebhookEvent as WebhookEventName,
  WebhookPayload,
} from '@proofdrop/contract';
import { ProofdropError } from './errors.js';

/** The events a project's webhook endpoints can subscribe to. */
export type WebhookEventType = WebhookEventName;

/** What each event carries as its `data`, by event type. */
export type WebhookEventData = EventData;

/**
 * One delivery's body, as Proofdrop sends it: `type`, `timestamp` (when the change happened, ISO 8601) and
 * `data`, whose fields follow from `type`: `if (event.type === 'task.completed') event.data.taskId`.
 */
export type WebhookEvent = WebhookPayload;

/** The request's headers: Node's `req.headers`, or a fetch `Headers`. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** A delivery older or newer than this (by its `webhook-timestamp`) is refused, as Standard Webhooks does. */
const WEBHOOK_TOLERANCE_S = 5 * 60;

/**
 * Checks that a webhook delivery comes from your Proofdrop and is fresh, per the Standard Webhooks
 * specification (`webhook-id`, `webhook-timestamp`, `webhook-signature`), and returns its event. Pass the
 * body exactly as it arrived (the raw bytes or string, not a re-serialised object) and the endpoint's
 * `whsec_…` secret. Deliveries are retried, so the same `webhook-id` may come more than once: act on it once.
 *
 * @throws {ProofdropError} `webhook_invalid` when a header is missing, the timestamp is more than five
 *   minutes off, or no signature matches.
 * @example
 * // Express: keep the raw body for this route.
 * app.post('/proofdrop/webhooks', express.raw({ type: 'application/json' }), (req, res) => {
 *   let event;
 *   try {
 *     event = verifyWebhook(process.env.PROOFDROP_WEBHOOK_SECRET, req.body, req.headers);
 *   } catch {
 *     return res.status(400).end();
 *   }
 *   if (event.type === 'participant.eligible') markEligible(event.data.participantId);
 *   res.status(204).end();
 * });
 */
export function verifyWebhook(
  secret: string,
  payload: string | Uint8Array | ArrayBuffer,
  headers: WebhookHeaders,
): WebhookEvent {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    throw invalid('missing webhook-id, webhook-timestamp or webhook-signature header');
  }
  if (!/^\d{1,15}$/.test(timestamp)) throw invalid('webhook-timestamp is not a number of seconds');
  const ageS = Math.floor(Date.now() / 1000) - Number(timestamp);
  if (ageS > WEBHOOK_TOLERANCE_S) throw invalid('the message timestamp is too old');
  if (ageS < -WEBHOOK_TOLERANCE_S) throw invalid('the message timestamp is too new');

  const body = rawBody(payload);
  const expected = Buffer.from(
    createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64'),
  );
  // Compared as base64 text, as the specification's libraries do: a differently padded or decorated
  // encoding of the same bytes is not accepted.
  const matches = signatures.split(' ').some((versioned) => {
    const [version, signature] = versioned.split(',');
    if (version !== 'v1' || signature === undefined) return false;
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw invalid('no signature matches: check the endpoint secret and that the body is raw');
  try {
    return JSON.parse(body) as WebhookEvent;
  } catch (cause) {
    throw new ProofdropError('webhook_invalid', 'the webhook body is not JSON', { cause });
  }
}

/** The body as text, from what a framework hands over; anything else was parsed, which loses the bytes. */
function rawBody(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  // isView and toString, not instanceof: bytes made in another realm (a test runner's sandbox) are bytes too.
  if (ArrayBuffer.isView(payload) || Object.prototype.toString.call(payload) === '[object ArrayBuffer]') {
    return new TextDecoder().decode(payload as Uint8Array | ArrayBuffer);
  }
  const empty = typeof payload === 'object' && payload !== null && Object.keys(payload).length === 0;
  throw invalid(
    empty
      ? 'the body is an empty object, not the raw request body: no body parser read it as bytes (in Express, express.raw({ type: "application/json" }) for this route; without the type, it reads only application/octet-stream)'
      : 'the body must be the raw request body, a string or bytes, as it arrived: it was given parsed (in Express, use express.raw({ type: "application/json" }) for this route, not express.json(); in Fastify, a content type parser with parseAs: "buffer")',
  );
}

function secretKey(secret: string): Buffer {
  if (typeof secret !== 'string') throw invalid('the secret must be the whsec_… string');
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  if (key.length === 0) throw invalid('the secret is empty');
  return key;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

function invalid(message: string): ProofdropError {
  return new ProofdropError('webhook_invalid', message);
}
