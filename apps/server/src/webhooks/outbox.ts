import { randomUUID } from 'node:crypto';
import type { WebhookMessagesTable } from '../db/schema.js';
import type { WebhookEvent, WebhookEventData } from './standard-webhooks.js';

export type EndpointSubscription = { id: string; events: string };

/**
 * The outbox rows an event becomes: one per endpoint subscribed to it, pending and due at once. Both ways
 * an event is stored build them here, the repository's (joins) and SQLite's writer (counts), so the two
 * cannot drift apart. On PostgreSQL a count's events are stored by the batch function, which writes the
 * same body (migration 2026-11-29-postgres-webhook-bodies; webhooks.test.ts compares every body's bytes).
 */
export function outboxMessages<E extends WebhookEvent>(
  endpoints: EndpointSubscription[],
  type: E,
  at: number,
  data: WebhookEventData[E],
): WebhookMessagesTable[] {
  const subscribed = endpoints.filter((e) => (JSON.parse(e.events) as string[]).includes(type));
  if (subscribed.length === 0) return [];
  // Every delivery carries `{ type, timestamp, data }`.
  const payload = JSON.stringify({ type, timestamp: new Date(at).toISOString(), data });
  return subscribed.map((endpoint) => ({
    id: `msg_${randomUUID().replaceAll('-', '')}`,
    endpoint_id: endpoint.id,
    event_type: type,
    payload,
    created_at: at,
    state: 'pending',
    attempts: 0,
    next_attempt_at: at,
    delivered_at: null,
  }));
}

/** The outbox's columns, in the order the writer's insert names them. */
export const OUTBOX_COLUMNS = [
  'id',
  'endpoint_id',
  'event_type',
  'payload',
  'created_at',
  'state',
  'attempts',
  'next_attempt_at',
  'delivered_at',
] as const satisfies readonly (keyof WebhookMessagesTable)[];
