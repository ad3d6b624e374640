import { DELIVERY_SCAN, type DeliveryQuery, type EndpointPatch } from '@proofdrop/contract';
import type { FastifyBaseLogger } from 'fastify';
import { request } from 'undici';
import type { Db } from '../db/database.js';
import type { WebhookEndpointsTable, WebhookMessageState } from '../db/schema.js';
import { AppError, notFound, rotatedMeanwhile } from '../errors.js';
import { type Clock, hoursAfter } from '../lib/clock.js';
import { newId } from '../lib/random.js';
import { RateLimiter } from '../lib/rate-limit.js';
import { requireHostProject } from '../projects/project-access.js';
import { parseWebsiteUrl } from '../projects/website-url.js';
import type { SecretBox } from '../secrets/secret-box.js';
import {
  addressProblem,
  type DestinationGuard,
  destinationProblem,
  guardedDispatcher,
} from './destination.js';
import { testMessage } from './outbox.js';
import {
  DEFAULT_SECRET_GRACE_HOURS,
  MAX_ATTEMPTS,
  newWebhookSecret,
  retryDelay,
  signWebhook,
  WEBHOOK_EVENTS,
  WEBHOOK_TEST_EVENT,
  type WebhookEvent,
} from './standard-webhooks.js';
import {
  type ClaimedMessage,
  claimDueMessages,
  countEndpoints,
  deleteEndpoint,
  findEndpoint,
  insertEndpoint,
  insertMessages,
  listAttempts,
  listEndpoints,
  listMessages,
  recordAttempt,
  requeueMessage,
  setEndpointEnabled,
  setEndpointEvents,
  setEndpointSecret,
} from './webhooks.repository.js';

export type EndpointView = {
  id: string;
  url: string;
  events: WebhookEvent[];
  secret: string;
  enabled: boolean;
  previousSecretExpiresAt: string | null;
  disabledReason: string | null;
  createdAt: string;
};

export type DeliveryView = {
  messageId: string;
  eventType: string;
  state: WebhookMessageState;
  attempts: { at: string; status: number | null; error: string | null; durationMs: number }[];
  nextAttemptAt: string | null;
  createdAt: string;
};

const DELIVERY_TIMEOUT_MS = 10_000;
/**
 * Deliveries at once from this process, and to one endpoint: a slow or dead endpoint holds at most its own
 * slots, never the pool, so the other endpoints' deliveries go out on time.
 */
const POOL_SIZE = 16;
const PER_ENDPOINT = 2;
/** Longer than one delivery can take: its DNS lookup and its request, each cut off. */
const DELIVERY_LEASE_MS = 60_000;
/** Deliveries a host may ask for by hand (test events, redeliveries), a minute an endpoint. */
const MANUAL_SENDS_PER_MINUTE = 20;
/** Endpoints a project may have (checked before each is added, so two added at once may pass it by one). */
const MAX_ENDPOINTS = 20;
/** Why an endpoint a host turned off gets nothing: said where the dashboard shows it. */
const DISABLED_BY_HOST = 'turned off by the host: no event is queued for it until it is enabled again';
const iso = (ms: number) => new Date(ms).toISOString();

/** A page's nextBefore, `<created_at>:<id>` (the schema has checked its shape), back into its parts. */
function parseCursor(cursor: string | undefined): { createdAt: number; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const at = cursor.indexOf(':');
  return { createdAt: Number(cursor.slice(0, at)), id: cursor.slice(at + 1) };
}

const toEndpointView = (e: WebhookEndpointsTable, secret: string, now: number): EndpointView => ({
  id: e.id,
  url: e.url,
  events: JSON.parse(e.events) as WebhookEvent[],
  secret,
  enabled: e.enabled === 1,
  previousSecretExpiresAt:
    e.previous_secret_expires_at !== null && e.previous_secret_expires_at > now
      ? iso(e.previous_secret_expires_at)
      : null,
  disabledReason: e.disabled_reason,
  createdAt: iso(e.created_at),
});

/**
 * Endpoints, and the dispatcher that delivers the outbox: due messages are posted signed, 2xx marks them
 * delivered, anything else schedules a retry with backoff; a message that exhausts its retries (about a
 * day) disables its endpoint with the reason, which the host sees on the endpoint.
 */
export class WebhooksService {
  /** Deliveries under way in this process, by endpoint. */
  private readonly inFlight = new Map<string, Set<Promise<void>>>();
  /** Claims run one after another, so two runs never count the same free slots. */
  private claims: Promise<unknown> = Promise.resolve();
  /** Claims asked for and not yet finished. */
  private claimsQueued = 0;
  private readonly stopping = new AbortController();
  private readonly dispatcher;
  private readonly manualSends = new RateLimiter(MANUAL_SENDS_PER_MINUTE / 60, MANUAL_SENDS_PER_MINUTE);

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
    private readonly destinations: DestinationGuard,
    private readonly box: SecretBox,
  ) {
    this.dispatcher = guardedDispatcher(destinations);
  }

  async create(
    hostId: string,
    projectId: string,
    url: string,
    events: WebhookEvent[] | undefined,
  ): Promise<EndpointView> {
    const project = await requireHostProject(this.db, hostId, projectId);
    // Every event is written once per endpoint, in the commit of the change: the fan-out stays bounded.
    if ((await countEndpoints(this.db, project.id)) >= MAX_ENDPOINTS) {
      throw new AppError(
        'invalid_state',
        `this project has ${MAX_ENDPOINTS} webhook endpoints, the most it can have: delete one it no longer needs first`,
      );
    }
    const parsed = parseWebsiteUrl(url);
    if ('error' in parsed) {
      throw new AppError('invalid_request', parsed.error, undefined, [
        { field: 'url', message: parsed.error },
      ]);
    }
    const problem = await destinationProblem(parsed.url, this.destinations);
    if (problem) {
      throw new AppError('invalid_request', `url: ${problem}`, undefined, [
        { field: 'url', message: problem },
      ]);
    }
    const secret = newWebhookSecret();
    const endpoint: WebhookEndpointsTable = {
      id: newId('whe'),
      project_id: project.id,
      url: parsed.url,
      secret: this.box.seal(secret),
      previous_secret: null,
      previous_secret_expires_at: null,
      events: JSON.stringify(events ? [...new Set(events)] : WEBHOOK_EVENTS),
      enabled: 1,
      disabled_reason: null,
      created_at: this.clock(),
    };
    await insertEndpoint(this.db, endpoint);
    return toEndpointView(endpoint, secret, this.clock());
  }

  async list(hostId: string, projectId: string): Promise<EndpointView[]> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const now = this.clock();
    return (await listEndpoints(this.db, project.id)).map((e) =>
      toEndpointView(e, this.box.open(e.secret), now),
    );
  }

  async enable(hostId: string, projectId: string, endpointId: string): Promise<EndpointView> {
    return this.update(hostId, projectId, endpointId, { enabled: true });
  }

  /** The events an endpoint takes from now on, and whether it takes any: what is queued already stays. */
  async update(
    hostId: string,
    projectId: string,
    endpointId: string,
    patch: EndpointPatch,
  ): Promise<EndpointView> {
    const endpoint = await this.requireEndpoint(hostId, projectId, endpointId);
    const changed = { ...endpoint };
    if (patch.events) {
      changed.events = JSON.stringify([...new Set(patch.events)]);
      await setEndpointEvents(this.db, endpoint.id, JSON.parse(changed.events) as string[]);
    }
    if (patch.enabled !== undefined) {
      changed.enabled = patch.enabled ? 1 : 0;
      changed.disabled_reason = patch.enabled ? null : DISABLED_BY_HOST;
      await setEndpointEnabled(this.db, endpoint.id, patch.enabled, changed.disabled_reason);
    }
    return toEndpointView(changed, this.box.open(endpoint.secret), this.clock());
  }

  /**
   * A leaked secret must be replaceable without dropping deliveries: for `graceHours` each delivery carries
   * two signatures (`v1,<new> v1,<old>`, the Standard Webhooks way), so the receiver can switch when it likes.
   */
  async rotateSecret(
    hostId: string,
    projectId: string,
    endpointId: string,
    graceHours = DEFAULT_SECRET_GRACE_HOURS,
  ): Promise<EndpointView> {
    const endpoint = await this.requireEndpoint(hostId, projectId, endpointId);
    const secret = newWebhookSecret();
    const sealed = this.box.seal(secret);
    // The previous secret stays as it is stored, sealed; it is opened only to sign during the window.
    const now = this.clock();
    const previous =
      graceHours > 0 ? { secret: endpoint.secret, expiresAt: hoursAfter(now, graceHours) } : null;
    if (!(await setEndpointSecret(this.db, endpoint.id, endpoint.secret, sealed, previous))) {
      throw rotatedMeanwhile('secret');
    }
    return toEndpointView(
      {
        ...endpoint,
        secret: sealed,
        previous_secret: previous?.secret ?? null,
        previous_secret_expires_at: previous?.expiresAt ?? null,
      },
      secret,
      now,
    );
  }

  async delete(hostId: string, projectId: string, endpointId: string): Promise<void> {
    const endpoint = await this.requireEndpoint(hostId, projectId, endpointId);
    await deleteEndpoint(this.db, endpoint.id);
  }

  async deliveries(
    hostId: string,
    projectId: string,
    endpointId: string,
    query: DeliveryQuery,
  ): Promise<{ deliveries: DeliveryView[]; nextBefore: string | null }> {
    const endpoint = await this.requireEndpoint(hostId, projectId, endpointId);
    const page = { limit: query.limit ?? 50, before: parseCursor(query.before), scan: DELIVERY_SCAN };
    const { rows: messages, nextBefore } = await listMessages(this.db, endpoint.id, page, query.state);
    const attempts = await listAttempts(
      this.db,
      messages.map((m) => m.id),
    );
    const deliveries = messages.map((m) => ({
      messageId: m.id,
      eventType: m.event_type,
      state: m.state,
      attempts: attempts
        .filter((a) => a.message_id === m.id)
        .map((a) => ({
          at: iso(a.attempted_at),
          status: a.status,
          error: a.error,
          durationMs: a.duration_ms,
        })),
      nextAttemptAt: m.state === 'pending' ? iso(m.next_attempt_at) : null,
      createdAt: iso(m.created_at),
    }));
    return { deliveries, nextBefore };
  }

  /**
   * Queues a test event for one endpoint and starts it at once: the delivery, tried once, shows in the
   * endpoint's deliveries with the receiver's answer.
   */
  async sendTest(hostId: string, projectId: string, endpointId: string): Promise<{ messageId: string }> {
    const endpoint = await this.requireEndpoint(hostId, projectId, endpointId);
    if (endpoint.enabled !== 1) {
      throw new AppError(
        'invalid_state',
        'this endpoint is disabled, so nothing is delivered to it: enable it, then send a test event',
      );
    }
    const now = this.clock();
    this.takeManualSend(endpoint.id, now);
    const message = testMessage(endpoint.id, now, {
      projectId: endpoint.project_id,
      endpointId: endpoint.id,
    });
    await insertMessages(this.db, [message]);
    this.nudge();
    return { messageId: message.id };
  }

  async redeliver(hostId: string, projectId: string, endpointId: string, messageId: string): Promise<void> {
    const endpoint = await this.requireEndpoint(hostId, projectId, endpointId);
    const now = this.clock();
    this.takeManualSend(endpoint.id, now);
    if (!(await requeueMessage(this.db, endpoint.id, messageId, now))) {
      // Nothing was sent: a wrong id spends none of the budget.
      this.manualSends.giveBack(endpoint.id);
      throw notFound('message');
    }
    this.nudge();
  }

  /**
   * Each delivery asked for by hand is a request to an address of the host's choosing: a script must not make
   * them without end.
   */
  private takeManualSend(endpointId: string, now: number): void {
    if (!this.manualSends.take(endpointId, now)) {
      throw new AppError(
        'rate_limited',
        `at most ${MANUAL_SENDS_PER_MINUTE} test events and redeliveries a minute for one endpoint; try again in a minute`,
      );
    }
  }

  /**
   * Starts the deliveries that are due, as many as the pool and the per-endpoint limit allow, and resolves
   * with how many once they are claimed, without waiting for them: the background tick and every freed slot
   * call it, so a slow endpoint delays nobody else.
   */
  pump(): Promise<number> {
    this.claimsQueued++;
    const run = this.claims
      .then(() => this.startDue())
      .finally(() => {
        this.claimsQueued--;
      });
    this.claims = run.catch(() => undefined);
    return run;
  }

  /** Delivers everything that is due and waits until every delivery under way, whoever started it, is done. */
  async deliverDue(): Promise<void> {
    for (;;) {
      await this.pump();
      const underWay = [...this.inFlight.values()].flatMap((deliveries) => [...deliveries]);
      // Nothing under way is not yet done: a delivery that ended while that claim waited on the database
      // has queued a claim of its own for the endpoint it held, which may start the endpoint's next ones.
      if (underWay.length === 0 && this.claimsQueued === 0) return;
      await Promise.all(underWay);
    }
  }

  /** Ends the deliveries under way (each is recorded as failed, so it is retried) and takes no new ones. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.claims;
    await Promise.all([...this.inFlight.values()].flatMap((deliveries) => [...deliveries]));
    await this.dispatcher.close();
  }

  private async startDue(): Promise<number> {
    const running = [...this.inFlight.values()].reduce((n, deliveries) => n + deliveries.size, 0);
    if (this.stopping.signal.aborted || running >= POOL_SIZE) return 0;
    const due = await claimDueMessages(this.db, this.clock(), {
      limit: POOL_SIZE - running,
      perEndpoint: PER_ENDPOINT,
      busy: [...this.inFlight.keys()],
      leaseMs: DELIVERY_LEASE_MS,
    });
    for (const message of due) {
      const deliveries = this.inFlight.get(message.endpoint_id) ?? new Set<Promise<void>>();
      this.inFlight.set(message.endpoint_id, deliveries);
      const delivery: Promise<void> = this.deliver(message)
        .catch((error: unknown) => this.log.error({ err: error }, 'webhook delivery failed'))
        .finally(() => {
          deliveries.delete(delivery);
          if (deliveries.size === 0) this.inFlight.delete(message.endpoint_id);
          // A slot is free: what waited for it goes now, not at the next tick.
          if (!this.stopping.signal.aborted) this.nudge();
        });
      deliveries.add(delivery);
    }
    return due.length;
  }

  private nudge(): void {
    this.pump().catch((error: unknown) => this.log.error({ err: error }, 'webhook delivery failed'));
  }

  private async deliver(message: ClaimedMessage): Promise<void> {
    const started = Date.now();
    // The signed timestamp is the real send time: receivers reject stale ones to stop replays.
    const timestamp = Math.floor(started / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      // A host name is checked by the dispatcher as it connects, on the very addresses it connects to.
      const problem = addressProblem(message.url, this.destinations.allowPrivate);
      if (problem) throw new Error(problem);
      const res = await request(message.url, {
        dispatcher: this.dispatcher,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Proofdrop-Webhooks/1',
          'webhook-id': message.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': this.signatures(message, timestamp),
        },
        body: message.payload,
        // A fresh connection each time: a kept-alive one that the receiver closes as it idles out would
        // fail the delivery for nothing.
        reset: true,
        signal: AbortSignal.any([AbortSignal.timeout(DELIVERY_TIMEOUT_MS), this.stopping.signal]),
      });
      status = res.statusCode;
      await res.body.dump();
      if (status < 200 || status >= 300) error = `the endpoint answered ${status}`;
    } catch (cause) {
      error = this.stopping.signal.aborted
        ? 'the server shut down during the delivery'
        : cause instanceof Error
          ? cause.message
          : String(cause);
    }
    const now = this.clock();
    const attempts = message.attempts + 1;
    // A test is tried once: its answer is what the host asked for, and a failure says nothing of real events.
    const test = message.event_type === WEBHOOK_TEST_EVENT;
    const delay = error && !test ? retryDelay(attempts) : undefined;
    const state = error === null ? 'delivered' : delay === undefined ? 'failed' : 'pending';
    await recordAttempt(
      this.db,
      { message_id: message.id, attempted_at: now, status, error, duration_ms: Date.now() - started },
      {
        state,
        attempts,
        next_attempt_at: now + (delay ?? 0),
        delivered_at: state === 'delivered' ? now : null,
      },
    );
    if (state === 'failed' && !test) {
      const reason = `disabled after ${MAX_ATTEMPTS} failed attempts over about a day to deliver ${message.id}: ${error}`;
      await setEndpointEnabled(this.db, message.endpoint_id, false, reason);
      this.log.warn(
        { endpointId: message.endpoint_id },
        'webhook endpoint disabled after persistent failure',
      );
    }
  }

  /** The new secret's signature first, then the previous secret's while its rotation window lasts. */
  private signatures(message: ClaimedMessage, timestamp: number): string {
    const current = signWebhook(this.box.open(message.secret), message.id, timestamp, message.payload);
    const previous =
      message.previous_secret !== null &&
      message.previous_secret_expires_at !== null &&
      message.previous_secret_expires_at > this.clock()
        ? this.box.open(message.previous_secret)
        : undefined;
    return previous === undefined
      ? current
      : `${current} ${signWebhook(previous, message.id, timestamp, message.payload)}`;
  }

  private async requireEndpoint(
    hostId: string,
    projectId: string,
    endpointId: string,
  ): Promise<WebhookEndpointsTable> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const endpoint = await findEndpoint(this.db, project.id, endpointId);
    if (!endpoint) throw notFound('webhook endpoint');
    return endpoint;
  }
}
