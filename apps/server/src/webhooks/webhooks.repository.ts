import { type Kysely, sql } from 'kysely';
import type { Db } from '../db/database.js';
import type {
  Database,
  WebhookAttemptsTable,
  WebhookEndpointsTable,
  WebhookMessageState,
  WebhookMessagesTable,
} from '../db/schema.js';
import { outboxMessages } from './outbox.js';
import type { WebhookEvent, WebhookEventData } from './standard-webhooks.js';

/**
 * Queues an event for every enabled endpoint of the project that subscribes to it. Called with the
 * transaction that makes the change, so the event is stored exactly when the change is.
 */
export async function enqueueWebhook<E extends WebhookEvent>(
  db: Kysely<Database>,
  projectId: string,
  type: E,
  at: number,
  data: WebhookEventData[E],
): Promise<void> {
  const endpoints = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'events'])
    .where('project_id', '=', projectId)
    .where('enabled', '=', 1)
    .execute();
  const messages = outboxMessages(endpoints, type, at, data);
  await insertMessages(db, messages);
}

export async function insertMessages(db: Kysely<Database>, messages: WebhookMessagesTable[]): Promise<void> {
  if (messages.length > 0) await db.insertInto('webhook_messages').values(messages).execute();
}

export async function insertEndpoint(db: Db, endpoint: WebhookEndpointsTable): Promise<void> {
  await db.insertInto('webhook_endpoints').values(endpoint).execute();
}

export async function countEndpoints(db: Db, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function listEndpoints(db: Db, projectId: string) {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('created_at')
    .execute();
}

export function findEndpoint(db: Db, projectId: string, endpointId: string) {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '=', endpointId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
}

/**
 * The new secret signs from now on; the old one too, until `previousExpiresAt` (null: not at all). Only
 * while `replaced` is still the secret: false when another rotation came first.
 */
export async function setEndpointSecret(
  db: Db,
  endpointId: string,
  replaced: string,
  secret: string,
  previous: { secret: string; expiresAt: number } | null,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_endpoints')
    .set({
      secret,
      previous_secret: previous?.secret ?? null,
      previous_secret_expires_at: previous?.expiresAt ?? null,
    })
    .where('id', '=', endpointId)
    .where('secret', '=', replaced)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Its messages and their attempts go with it. */
export async function deleteEndpoint(db: Db, endpointId: string): Promise<void> {
  await db.deleteFrom('webhook_endpoints').where('id', '=', endpointId).execute();
}

export async function setEndpointEvents(
  db: Db,
  endpointId: string,
  events: readonly string[],
): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({ events: JSON.stringify(events) })
    .where('id', '=', endpointId)
    .execute();
}

export async function setEndpointEnabled(
  db: Db,
  endpointId: string,
  enabled: boolean,
  reason: string | null,
): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({ enabled: enabled ? 1 : 0, disabled_reason: reason })
    .where('id', '=', endpointId)
    .execute();
}

/**
 * Claims up to `limit` due messages, at most `perEndpoint` of any one endpoint and none of the endpoints in
 * `busy` (this process is still delivering to them), so a slow or dead endpoint cannot fill a run and hold
 * back the others. Each is leased, its next attempt moved `leaseMs` ahead, so another process's run does not
 * send it too; the attempt's outcome then sets the real next attempt. A run that dies mid-delivery leaves
 * its messages to be sent again when the lease ends.
 */
export async function claimDueMessages(
  db: Db,
  now: number,
  {
    limit,
    perEndpoint,
    busy,
    leaseMs,
  }: { limit: number; perEndpoint: number; busy: string[]; leaseMs: number },
) {
  const claimed = await db
    .updateTable('webhook_messages')
    .set({ next_attempt_at: now + leaseMs })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom((inner) => {
          let due = inner
            .selectFrom('webhook_messages as due')
            .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'due.endpoint_id')
            .select([
              'due.id',
              'due.next_attempt_at',
              sql<number>`row_number() over (partition by due.endpoint_id order by due.next_attempt_at, due.id)`.as(
                'place',
              ),
            ])
            .where('due.state', '=', 'pending')
            .where('due.next_attempt_at', '<=', now)
            .where('webhook_endpoints.enabled', '=', 1);
          if (busy.length > 0) due = due.where('due.endpoint_id', 'not in', busy);
          return due.as('ranked');
        })
        .select('ranked.id')
        .where('ranked.place', '<=', perEndpoint)
        .orderBy('ranked.next_attempt_at')
        .limit(limit),
    )
    // Checked again on the row itself: a concurrent run that claimed it first has moved it ahead.
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .returning('id')
    .execute();
  if (claimed.length === 0) return [];
  return db
    .selectFrom('webhook_messages')
    .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_messages.endpoint_id')
    .select([
      'webhook_messages.id',
      'webhook_messages.endpoint_id',
      'webhook_messages.event_type',
      'webhook_messages.payload',
      'webhook_messages.attempts',
      'webhook_endpoints.url',
      'webhook_endpoints.secret',
      'webhook_endpoints.previous_secret',
      'webhook_endpoints.previous_secret_expires_at',
    ])
    .where(
      'webhook_messages.id',
      'in',
      claimed.map((c) => c.id),
    )
    .execute();
}

export type ClaimedMessage = Awaited<ReturnType<typeof claimDueMessages>>[number];

export async function recordAttempt(
  db: Db,
  attempt: Omit<WebhookAttemptsTable, 'id'>,
  message: {
    state: 'pending' | 'delivered' | 'failed';
    attempts: number;
    next_attempt_at: number;
    delivered_at: number | null;
  },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('webhook_messages')
      .set(message)
      .where('id', '=', attempt.message_id)
      .executeTakeFirst();
    // The host deleted the endpoint, and its messages with it, while this delivery was under way.
    if (Number(updated.numUpdatedRows) === 0) return;
    await tx.insertInto('webhook_attempts').values(attempt).execute();
  });
}

/**
 * A page of an endpoint's deliveries, newest first: those older than `before` (a cursor of time and id)
 * in `state`, at most `limit`, and the cursor to read on from (null once none older is left). A read by
 * state looks through the newest `scan` only, so its cost is a page's however many the endpoint has.
 */
export async function listMessages(
  db: Db,
  endpointId: string,
  page: { limit: number; before: { createdAt: number; id: string } | undefined; scan: number },
  state: WebhookMessageState | undefined,
) {
  const { before } = page;
  // A delivery's list shows no body: the scan leaves the payloads unread.
  const scanned = db
    .selectFrom('webhook_messages')
    .select(['id', 'event_type', 'created_at', 'state', 'next_attempt_at'])
    .where('endpoint_id', '=', endpointId)
    .$if(before !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('created_at', '<', before?.createdAt ?? 0),
          eb.and([eb('created_at', '=', before?.createdAt ?? 0), eb('id', '<', before?.id ?? '')]),
        ]),
      ),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    // One row more than the page: whether another page follows, without a second read.
    .limit(state === undefined ? page.limit + 1 : page.scan);
  const rows = await db
    .selectFrom(scanned.as('w'))
    .selectAll()
    .$if(state !== undefined, (q) => q.where('state', '=', state as WebhookMessageState))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const cursor = (row: { created_at: number; id: string }) => `${row.created_at}:${row.id}`;
  if (rows.length > page.limit) {
    const shown = rows.slice(0, page.limit);
    const last = shown.at(-1);
    return { rows: shown, nextBefore: last ? cursor(last) : null };
  }
  if (state === undefined) return { rows, nextBefore: null };
  // The scan's last row, there only when the scan was full: reading on starts below it.
  const last = await scanned.offset(page.scan - 1).executeTakeFirst();
  return { rows, nextBefore: last ? cursor(last) : null };
}

export function listAttempts(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('message_id', 'in', messageIds)
    .orderBy('id')
    .execute();
}

/** Sends a message again now, with a fresh retry schedule. */
export async function requeueMessage(
  db: Db,
  endpointId: string,
  messageId: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_messages')
    .set({ state: 'pending', attempts: 0, next_attempt_at: now })
    .where('id', '=', messageId)
    .where('endpoint_id', '=', endpointId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
