import { randomUUID } from 'node:crypto';
import type { WebhookMessagesTable } from '../db/schema.js';
import {
  WEBHOOK_TEST_EVENT,
  type WebhookEvent,
  type WebhookEventData,
  type WebhookTestData,
} from './standard-webhooks.js';

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
  const payload = payloadOf(type, at, data);
  return subscribed.map((endpoint) => pendingMessage(endpoint.id, type, at, payload));
}

/** The one outbox row of a test event, for the endpoint its host is checking. */
export function testMessage(endpointId: string, at: number, data: WebhookTestData): WebhookMessagesTable {
  return pendingMessage(endpointId, WEBHOOK_TEST_EVENT, at, payloadOf(WEBHOOK_TEST_EVENT, at, data));
}

// Every delivery carries `{ type, timestamp, data }`.
const payloadOf = (type: string, at: number, data: unknown) =>
  JSON.stringify({ type, timestamp: new Date(at).toISOString(), data });

function pendingMessage(endpointId: string, type: string, at: number, payload: string): WebhookMessagesTable {
  return {
    id: `msg_${randomUUID().replaceAll('-', '')}`,
    endpoint_id: endpointId,
    event_type: type,
    payload,
    created_at: at,
    state: 'pending',
    attempts: 0,
    next_attempt_at: at,
    delivered_at: null,
  };
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
