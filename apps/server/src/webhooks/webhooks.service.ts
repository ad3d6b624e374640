import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.js';
import type { WebhookEndpointsTable, WebhookMessageState } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/random.js';
import { requireHostProject } from '../projects/project-access.js';
import { parseWebsiteUrl } from '../projects/website-url.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { destinationProblem } from './destination.js';
import {
  MAX_ATTEMPTS,
  newWebhookSecret,
  retryDelay,
  signWebhook,
  WEBHOOK_EVENTS,
  type WebhookEvent,
} from './standard-webhooks.js';
import {
  claimDueMessages,
  deleteEndpoint,
  findEndpoint,
  insertEndpoint,
  listAttempts,
  listEndpoints,
  listMessages,
  recordAttempt,
  requeueMessage,
  setEndpointEnabled,
  setEndpointSecret,
} from './webhooks.repository.js';

export type EndpointView = {
  id: string;
  url: string;
  events: WebhookEvent[];
  secret: string;
  enabled: boolean;
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
const BATCH = 50;
/** Long enough for a batch's deliveries, each cut off at DELIVERY_TIMEOUT_MS. */
const DELIVERY_LEASE_MS = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const toEndpointView = (e: WebhookEndpointsTable, secret: string): EndpointView => ({
  id: e.id,
  url: e.url,
  events: JSON.parse(e.events) as WebhookEvent[],
  secret,
  enabled: e.enabled === 1,
  disabledReason: e.disabled_reason,
  createdAt: iso(e.created_at),
});

/**
 * Endpoints, and the dispatcher that delivers the outbox: due messages are posted signed, 2xx marks them
 * delivered, anything else schedules a retry with backoff; a message that exhausts its retries (about a
 * day) disables its endpoint with the reason, which the host sees on the endpoint.
 */
export class WebhooksService {
  private running: Promise<number> | undefined;
  private nextRun: Promise<number> | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
    private readonly allowPrivateUrls: boolean,
    private readonly box: SecretBox,
  ) {}

  async create(
    hostId: string,
    projectId: string,
    url: string,
    events: WebhookEvent[] | undefined,
  ): Promise<EndpointView> {
    const project = await requireHostProject(this.db, hostId, projectId);
    const parsed = parseWebsiteUrl(url);
    if ('error' in parsed) throw new AppError('invalid_request', parsed.error);
    const problem = await destinationProblem(parsed.url, this.allowPrivateUrls);
    if (problem) throw new AppError('invalid_request', `url: ${problem}`);
    const secret = newWebhookSecret();
    const endpoint: WebhookEndpointsTable = {
      id: newId('whe'),
      project_id: project.id,
      url: parsed.url,
      secret: this.box.seal(secret),
      events: JSON.stringify(events && events.length > 0 ? [...new Set(events)] : WEBHOOK_EVENTS),
      enabled: 1,
      disabled_reason: null,
      created_at: this.clock(),
    };
    await insertEndpoint(this.db, endpoint);
    return toEndpointView(endpoint, secret);
  }

  async list(hostId: string, projectId: string): Promise<EndpointView[]> {
    const project = await requireHostProject(this.db, hostId, projectId);
    return (await listEndpoints(this.db, project.id)).map((e) => toEndpointView(e, this.box.open(e.secret)));
  }

  async enable(hostId: string, projectId: string, endpointId: string): Promise<EndpointView> {
    const endpoint = await this.requireEndpoint(hostId, projectId, endpointId);
    await setEndpointEnabled(this.db, endpoint.id, true, null);
    return toEndpointView({ ...endpoint, enabled: 1, disabled_reason: null }, this.box.open(endpoint.secret));
  }

  /** Deliveries from now on are signed with the new secret: the receiver must switch at once. */
  async rotateSecret(hostId: string, projectId: string, endpointId: string): Promise<EndpointView> {
    const endpoint = await this.requireEndpoint(hostId, projectId, endpointId);
    const secret = newWebhookSecret();
    const sealed = this.box.seal(secret);
    await setEndpointSecret(this.db, endpoint.id, sealed);
    return toEndpointView({ ...endpoint, secret: sealed }, secret);
  }

  async delete(hostId: string, projectId: string, endpointId: string): Promise<void> {
    const endpoint = await this.requireEndpoint(hostId, projectId, endpointId);
    await deleteEndpoint(this.db, endpoint.id);
  }

  async deliveries(
    hostId: string,
    projectId: string,
    endpointId: string,
    limit: number,
  ): Promise<DeliveryView[]> {
    const endpoint = await this.requireEndpoint(hostId, projectId, endpointId);
    const messages = await listMessages(this.db, endpoint.id, limit);
    const attempts = await listAttempts(
      this.db,
      messages.map((m) => m.id),
    );
    return messages.map((m) => ({
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
  }

  async redeliver(hostId: string, projectId: string, endpointId: string, messageId: string): Promise<void> {
    const endpoint = await this.requireEndpoint(hostId, projectId, endpointId);
    if (!(await requeueMessage(this.db, endpoint.id, messageId, this.clock()))) throw notFound('message');
    this.nudge();
  }

  /**
   * Delivers what is due now; returns how many deliveries were tried. One run at a time: a run already
   * going may have listed what was due before this call, so the call gets the run after it.
   */
  deliverDue(): Promise<number> {
    if (!this.running) return this.startRun();
    this.nextRun ??= this.running
      .catch(() => 0)
      .then(() => {
        this.nextRun = undefined;
        return this.startRun();
      });
    return this.nextRun;
  }

  private startRun(): Promise<number> {
    const run = this.deliverBatch().finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private nudge(): void {
    this.deliverDue().catch((error: unknown) => this.log.error({ err: error }, 'webhook delivery failed'));
  }

  private async deliverBatch(): Promise<number> {
    const due = await claimDueMessages(this.db, this.clock(), BATCH, DELIVERY_LEASE_MS);
    await Promise.all(due.map((message) => this.deliver(message)));
    return due.length;
  }

  private async deliver(message: Awaited<ReturnType<typeof claimDueMessages>>[number]): Promise<void> {
    const started = Date.now();
    // The signed timestamp is the real send time: receivers reject stale ones to stop replays.
    const timestamp = Math.floor(started / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      // Checked again at each delivery: the name may resolve elsewhere than when it was registered.
      const problem = await destinationProblem(message.url, this.allowPrivateUrls);
      if (problem) throw new Error(problem);
      const res = await fetch(message.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Proofdrop-Webhooks/1',
          'webhook-id': message.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(
            this.box.open(message.secret),
            message.id,
            timestamp,
            message.payload,
          ),
        },
        body: message.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      status = res.status;
      await res.body?.cancel();
      if (status < 200 || status >= 300) error = `the endpoint answered ${status}`;
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    const now = this.clock();
    const attempts = message.attempts + 1;
    const delay = error ? retryDelay(attempts) : undefined;
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
    if (state === 'failed') {
      const reason = `disabled after ${MAX_ATTEMPTS} failed attempts over about a day to deliver ${message.id}: ${error}`;
      await setEndpointEnabled(this.db, message.endpoint_id, false, reason);
      this.log.warn(
        { endpointId: message.endpoint_id },
        'webhook endpoint disabled after persistent failure',
      );
    }
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
