import { createHmac, randomBytes } from 'node:crypto';

/** Signing per the Standard Webhooks specification: `whsec_` secrets, `v1,<base64>` signatures. */

// The event names are the contract's; they are re-exported beside the signing that carries them.
export {
  WEBHOOK_EVENTS,
  WEBHOOK_TEST_EVENT,
  type WebhookEvent,
  type WebhookEventData,
  type WebhookTestData,
} from '@proofdrop/contract';

/** How long a rotated-out secret still signs deliveries, unless the host says otherwise. */
export const DEFAULT_SECRET_GRACE_HOURS = 24;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** The `webhook-signature` header: HMAC-SHA256 keyed with the secret's bytes over `id.timestamp.body`. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${signature}`;
}

/**
 * When to try again after `attempts` failed deliveries, in ms: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
 * (about 28 h in all), each with up to 20% jitter so retries from many messages do not arrive together.
 * undefined: give up.
 */
const SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
export const MAX_ATTEMPTS = SCHEDULE_MS.length + 1;

export function retryDelay(attempts: number, random: () => number = Math.random): number | undefined {
  const base = SCHEDULE_MS[attempts - 1];
  return base === undefined ? undefined : Math.round(base * (1 + 0.2 * random()));
}
