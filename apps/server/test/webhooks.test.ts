import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DELIVERY_SCAN } from '@proofdrop/contract';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type GiveawayFixture,
  join,
  liveGiveaway,
  postCallback,
  signedCallback,
  startServer,
  type TestServer,
  testEngine,
  trackIdFor,
} from './support.js';

/** The test receivers listen on loopback, which a default install refuses as a webhook destination. */
const LOOPBACK_RECEIVERS = { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' };

type Received = { type: string; data: Record<string, unknown>; id: string };

/** A host's receiver on loopback that verifies every delivery with the standardwebhooks library. */
class Receiver {
  readonly received: Received[] = [];
  /** Each verified delivery's body, as sent. */
  readonly bodies: string[] = [];
  readonly rejected: string[] = [];
  failNext = 0;
  private server: Server | undefined;
  secret = '';

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      const body = await read(req);
      if (this.failNext > 0) {
        this.failNext--;
        res.writeHead(503).end();
        return;
      }
      try {
        const payload = new Webhook(this.secret).verify(
          body,
          req.headers as Record<string, string>,
        ) as Received;
        this.received.push({ ...payload, id: String(req.headers['webhook-id']) });
        this.bodies.push(body);
        res.writeHead(204).end();
      } catch (error) {
        this.rejected.push(String(error));
        res.writeHead(400).end();
      }
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/hooks?x=1`;
  }

  close() {
    this.server?.close();
  }
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const receivers: Receiver[] = [];

/** An endpoint whose receiver fails every delivery of one participant.joined, through all its retries. */
async function failForADay() {
  const server = await startServer(LOOPBACK_RECEIVERS);
  const fixture = await liveGiveaway(server);
  const { receiver, endpointId } = await subscribe(server, fixture, ['participant.joined']);
  receiver.failNext = 1000;
  await join(server, fixture.slug);
  for (let i = 0; i < 12; i++) {
    await server.services.webhooks.deliverDue();
    server.clock.advance(13 * 3_600_000);
  }
  return { server, fixture, receiver, endpointId };
}
afterAll(() => {
  for (const r of receivers) r.close();
});

async function subscribe(server: TestServer, fixture: GiveawayFixture, events?: string[]) {
  const receiver = new Receiver();
  receivers.push(receiver);
  const url = await receiver.start();
  const res = await server.request({
    method: 'POST',
    url: `/api/v1/projects/${fixture.projectId}/webhooks`,
    headers: bearer(fixture.host.token),
    payload: { url, ...(events ? { events } : {}) },
  });
  expect(res.statusCode).toBe(201);
  receiver.secret = res.json().secret;
  expect(receiver.secret).toMatch(/^whsec_/);
  return { receiver, endpointId: res.json().id as string };
}

describe('outbound webhooks', () => {
  it('dates the end of a giveaway ended by its endsAt at that end, in the API and its webhook alike', async () => {
    const server = await startServer(LOOPBACK_RECEIVERS);
    const fixture = await liveGiveaway(server, { endsInMs: 60_000 });
    const endsAt = new Date(server.clock.now + 60_000).toISOString();
    const { receiver } = await subscribe(server, fixture);
    server.clock.advance(90_000);
    const auth = bearer(fixture.host.token);
    const read = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.giveawayId}`,
      headers: auth,
    });
    expect(read.json()).toMatchObject({ status: 'ended', endsAt, endedAt: endsAt });
    const page = await server.request({ method: 'GET', url: `/api/v1/giveaways/${fixture.slug}` });
    expect(page.json()).toMatchObject({ status: 'ended', endedAt: endsAt });
    // Ended by the clock, it is as ended as by hand: ending it again is refused, every time.
    for (let i = 0; i < 2; i++) {
      const end = await server.request({
        method: 'POST',
        url: `/api/v1/giveaways/${fixture.giveawayId}/end`,
        headers: auth,
      });
      expect(end.statusCode).toBe(409);
      expect(end.json()).toMatchObject({ code: 'invalid_state', message: 'the giveaway is already ended' });
    }
    await server.services.draws.freezeIfEnded(
      await server.db
        .selectFrom('giveaways')
        .selectAll()
        .where('id', '=', fixture.giveawayId)
        .executeTakeFirstOrThrow(),
    );
    await server.services.webhooks.deliverDue();
    expect(receiver.received.filter((r) => r.type === 'giveaway.ended')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ endedAt: endsAt }) }),
    ]);
  });

  it('delivers every event of a giveaway, signed the Standard Webhooks way', async () => {
    const server = await startServer(LOOPBACK_RECEIVERS);
    const fixture = await liveGiveaway(server, {
      tasks: [{ event: 'sign_up' }, { event: 'deposit' }],
      settings: { prizes: [{ name: 'Gold' }] },
    });
    const { receiver } = await subscribe(server, fixture);
    const fan = await join(server, fixture.slug);
    const trackId = await trackIdFor(server, fan, fixture.tasks[0].id);
    await postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up'));
    await postCallback(server, signedCallback(fixture.apiKey, trackId, 'deposit'));
    await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/end`,
      headers: bearer(fixture.host.token),
    });
    const drawn = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${fixture.giveawayId}/draw`,
      headers: bearer(fixture.host.token),
    });
    expect(drawn.statusCode, drawn.body).toBe(200);
    await server.services.webhooks.deliverDue();

    expect(receiver.rejected).toEqual([]);
    // Like every Standard Webhooks sender, delivery order is not promised: each event carries its timestamp.
    expect(receiver.received.map((r) => r.type).sort()).toEqual([
      'giveaway.drawn',
      'giveaway.ended',
      'participant.eligible',
      'participant.joined',
      'task.completed',
      'task.completed',
    ]);
    const of = (type: string) => receiver.received.filter((r) => r.type === type).map((r) => r.data);
    expect(of('participant.joined')).toEqual([
      expect.objectContaining({ giveawayId: fixture.giveawayId, participantId: fan.participantId }),
    ]);
    expect(of('task.completed')).toContainEqual(expect.objectContaining({ event: 'deposit', count: 1 }));
    expect(of('giveaway.drawn')).toEqual([
      expect.objectContaining({
        winners: [{ participantId: fan.participantId, rank: 1, email: expect.any(String), prize: 'Gold' }],
      }),
    ]);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(6);
    // One shape of body, whichever way an event was stored: the writer's counts (on PostgreSQL, inside the
    // batch function) and everything else (in JavaScript).
    for (const body of receiver.bodies) expect(body).toBe(JSON.stringify(JSON.parse(body)));
  });

  it('sends only the events an endpoint subscribed to', async () => {
    const server = await startServer(LOOPBACK_RECEIVERS);
    const fixture = await liveGiveaway(server);
    const { receiver } = await subscribe(server, fixture, ['participant.eligible']);
    const trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0].id);
    await postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up'));
    await server.services.webhooks.deliverDue();
    expect(receiver.received.map((r) => r.type)).toEqual(['participant.eligible']);
  });

  it('retries a failing endpoint with backoff, logs each attempt, and redelivers on request', async () => {
    const server = await startServer(LOOPBACK_RECEIVERS);
    const fixture = await liveGiveaway(server);
    const { receiver, endpointId } = await subscribe(server, fixture, ['participant.joined']);
    receiver.failNext = 2;
    await join(server, fixture.slug);
    await server.services.webhooks.deliverDue();
    await server.services.webhooks.deliverDue();
    expect(receiver.received).toHaveLength(0);
    server.clock.advance(7_000);
    await server.services.webhooks.deliverDue();
    expect(receiver.received).toHaveLength(0);
    server.clock.advance(7 * 60_000);
    await server.services.webhooks.deliverDue();
    expect(receiver.received.map((r) => r.type)).toEqual(['participant.joined']);

    const log = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}/webhooks/${endpointId}/deliveries`,
      headers: bearer(fixture.host.token),
    });
    const [delivery] = log.json().deliveries;
    expect(delivery.state).toBe('delivered');
    expect(delivery.attempts.map((a: { status: number }) => a.status)).toEqual([503, 503, 204]);

    const again = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/webhooks/${endpointId}/messages/${delivery.messageId}/redeliver`,
      headers: bearer(fixture.host.token),
    });
    expect(again.statusCode).toBe(202);
    await server.services.webhooks.deliverDue();
    expect(receiver.received.map((r) => r.id)).toEqual([delivery.messageId, delivery.messageId]);
  });

  it('sends a test event to one endpoint on request, tried once, whatever it subscribes to', async () => {
    const server = await startServer(LOOPBACK_RECEIVERS);
    const fixture = await liveGiveaway(server);
    const auth = bearer(fixture.host.token);
    const { receiver, endpointId } = await subscribe(server, fixture, ['giveaway.drawn']);
    const other = await subscribe(server, fixture);
    const base = `/api/v1/projects/${fixture.projectId}/webhooks/${endpointId}`;
    const sendTest = () => server.request({ method: 'POST', url: `${base}/test`, headers: auth });

    const sent = await sendTest();
    expect(sent.statusCode).toBe(202);
    const { messageId } = sent.json();
    expect(messageId).toMatch(/^msg_/);
    await server.services.webhooks.deliverDue();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({
      type: 'webhook.test',
      data: { projectId: fixture.projectId, endpointId },
      id: messageId,
    });
    expect(other.receiver.received).toEqual([]);

    // A receiver that is not ready: one attempt, no retries, and the endpoint stays enabled.
    receiver.failNext = 1;
    const failing = (await sendTest()).json().messageId;
    await server.services.webhooks.deliverDue();
    server.clock.advance(2 * 86_400_000);
    await server.services.webhooks.deliverDue();
    const deliveries = (
      await server.request({ method: 'GET', url: `${base}/deliveries`, headers: auth })
    ).json().deliveries;
    const failed = deliveries.find((d: { messageId: string }) => d.messageId === failing);
    expect(failed).toMatchObject({ eventType: 'webhook.test', state: 'failed', nextAttemptAt: null });
    expect(failed.attempts.map((a: { status: number }) => a.status)).toEqual([503]);
    const endpoints = (
      await server.request({
        method: 'GET',
        url: `/api/v1/projects/${fixture.projectId}/webhooks`,
        headers: auth,
      })
    ).json().endpoints;
    expect(endpoints.find((e: { id: string }) => e.id === endpointId).enabled).toBe(true);

    // Redeliver tries it once more.
    await server.request({ method: 'POST', url: `${base}/messages/${failing}/redeliver`, headers: auth });
    await server.services.webhooks.deliverDue();
    expect(receiver.received.map((r) => r.id)).toEqual([messageId, failing]);
  });

  it('refuses a test event to a disabled endpoint, to another host, and past twenty sends by hand a minute', async () => {
    const { server, fixture, endpointId } = await failForADay();
    const auth = bearer(fixture.host.token);
    const url = `/api/v1/projects/${fixture.projectId}/webhooks/${endpointId}/test`;
    const disabled = await server.request({ method: 'POST', url, headers: auth });
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json()).toMatchObject({
      ok: false,
      code: 'invalid_state',
      message: expect.stringMatching(/enable it/),
    });

    const other = await liveGiveaway(server);
    expect(
      (await server.request({ method: 'POST', url, headers: bearer(other.host.token) })).statusCode,
    ).toBe(404);
    const missing = `/api/v1/projects/${fixture.projectId}/webhooks/whe_nope/test`;
    expect((await server.request({ method: 'POST', url: missing, headers: auth })).statusCode).toBe(404);

    await server.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/webhooks/${endpointId}/enable`,
      headers: auth,
    });
    // A wrong message id sends nothing, and spends nothing.
    const missingMessage = `/api/v1/projects/${fixture.projectId}/webhooks/${endpointId}/messages/msg_nope/redeliver`;
    expect((await server.request({ method: 'POST', url: missingMessage, headers: auth })).statusCode).toBe(
      404,
    );
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++)
      statuses.push((await server.request({ method: 'POST', url, headers: auth })).statusCode);
    expect(statuses).toEqual([...Array(20).fill(202), 429]);
    const limited = await server.request({ method: 'POST', url, headers: auth });
    expect(limited.json()).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/20 test events and redeliveries a minute/),
    });
    // Redeliveries share the budget: they too are requests sent at the host's word.
    const base = `/api/v1/projects/${fixture.projectId}/webhooks/${endpointId}`;
    const [oldest] = (await server.request({ method: 'GET', url: `${base}/deliveries`, headers: auth }))
      .json()
      .deliveries.slice(-1);
    const again = `${base}/messages/${oldest.messageId}/redeliver`;
    expect((await server.request({ method: 'POST', url: again, headers: auth })).statusCode).toBe(429);
    server.clock.advance(6_000);
    expect((await server.request({ method: 'POST', url, headers: auth })).statusCode).toBe(202);
  });

  it('pages through deliveries newest first, each once, and keeps those of one state', async () => {
    const server = await startServer(LOOPBACK_RECEIVERS);
    const fixture = await liveGiveaway(server);
    const auth = bearer(fixture.host.token);
    const { receiver, endpointId } = await subscribe(server, fixture, ['participant.joined']);
    receiver.failNext = 2;
    // Joins at one instant and a moment later: the order's ties are broken by id.
    for (let i = 0; i < 5; i++) {
      await join(server, fixture.slug);
      if (i === 2) server.clock.advance(1_000);
    }
    await server.services.webhooks.deliverDue();
    const base = `/api/v1/projects/${fixture.projectId}/webhooks/${endpointId}/deliveries`;
    const read = async (query: string) => {
      const res = await server.request({ method: 'GET', url: `${base}?${query}`, headers: auth });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { deliveries: { messageId: string; state: string }[]; nextBefore: string | null };
    };
    const readAll = async (query: string) => {
      const pages = [await read(query)];
      for (let next = pages[0]?.nextBefore; next; next = pages.at(-1)?.nextBefore ?? null) {
        pages.push(await read(`${query}&before=${encodeURIComponent(next)}`));
      }
      return pages;
    };
    const whole = await read('limit=50');
    expect(whole.deliveries).toHaveLength(5);
    expect(whole.nextBefore).toBeNull();
    const pages = await readAll('limit=2');
    expect(pages.map((p) => p.deliveries.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((p) => p.deliveries)).toEqual(whole.deliveries);

    const pending = await readAll('limit=1&state=pending');
    expect(pending.flatMap((p) => p.deliveries.map((d) => d.state))).toEqual(['pending', 'pending']);
    expect((await read('state=delivered')).deliveries.map((d) => d.state)).toEqual(
      Array(3).fill('delivered'),
    );

    for (const [query, message] of [
      ['state=lost', /state must be one of pending, delivered, failed/],
      ['before=yesterday', /before must be a page's nextBefore/],
    ] as const) {
      const res = await server.request({ method: 'GET', url: `${base}?${query}`, headers: auth });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().message).toMatch(message);
    }
  });

  it(`looks through ${DELIVERY_SCAN} deliveries a read by state, and says where to read on`, async () => {
    const { server, fixture, endpointId } = await failForADay();
    const filler = Array.from({ length: DELIVERY_SCAN + 5 }, (_, i) => ({
      id: `msg_filler${String(i).padStart(6, '0')}`,
      endpoint_id: endpointId,
      event_type: 'participant.joined',
      payload: '{}',
      created_at: server.clock.now + i,
      state: 'delivered' as const,
      attempts: 1,
      next_attempt_at: server.clock.now + i,
      delivered_at: server.clock.now + i,
    }));
    for (let i = 0; i < filler.length; i += 500) {
      await server.db
        .insertInto('webhook_messages')
        .values(filler.slice(i, i + 500))
        .execute();
    }
    const url = `/api/v1/projects/${fixture.projectId}/webhooks/${endpointId}/deliveries?state=failed`;
    const auth = bearer(fixture.host.token);
    const first = (await server.request({ method: 'GET', url, headers: auth })).json();
    expect(first.deliveries).toEqual([]);
    expect(first.nextBefore).toMatch(/^\d+:msg_filler/);
    const rest = (
      await server.request({ method: 'GET', url: `${url}&before=${first.nextBefore}`, headers: auth })
    ).json();
    expect(rest.deliveries.map((d: { state: string }) => d.state)).toEqual(['failed']);
    expect(rest.nextBefore).toBeNull();
  });

  it('disables an endpoint that keeps failing for about a day, and says why', async () => {
    const { server, fixture, endpointId } = await failForADay();
    const list = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}/webhooks`,
      headers: bearer(fixture.host.token),
    });
    const [endpoint] = list.json().endpoints;
    expect(endpoint).toMatchObject({ id: endpointId, enabled: false });
    expect(endpoint.disabledReason).toMatch(/8 failed attempts.*503/);
  });

  it('announces an entrant of a giveaway without tasks as eligible at once', async () => {
    const server = await startServer(LOOPBACK_RECEIVERS);
    const fixture = await liveGiveaway(server, { tasks: [] });
    const { receiver } = await subscribe(server, fixture);
    await join(server, fixture.slug);
    await server.services.webhooks.deliverDue();
    expect(receiver.received.map((r) => r.type).sort()).toEqual([
      'participant.eligible',
      'participant.joined',
    ]);
  });

  it('gives a redelivered message a fresh retry schedule', async () => {
    const { server, fixture, receiver, endpointId } = await failForADay();
    const auth = bearer(fixture.host.token);
    const base = `/api/v1/projects/${fixture.projectId}/webhooks/${endpointId}`;
    await server.request({ method: 'POST', url: `${base}/enable`, headers: auth });
    const [failed] = (
      await server.request({ method: 'GET', url: `${base}/deliveries`, headers: auth })
    ).json().deliveries;
    expect(failed.state).toBe('failed');
    await server.request({
      method: 'POST',
      url: `${base}/messages/${failed.messageId}/redeliver`,
      headers: auth,
    });
    await server.services.webhooks.deliverDue();
    const list = (
      await server.request({
        method: 'GET',
        url: `/api/v1/projects/${fixture.projectId}/webhooks`,
        headers: auth,
      })
    ).json();
    expect(list.endpoints[0].enabled).toBe(true);
    const [again] = (await server.request({ method: 'GET', url: `${base}/deliveries`, headers: auth })).json()
      .deliveries;
    expect(again.state).toBe('pending');
    receiver.failNext = 0;
    server.clock.advance(10_000);
    await server.services.webhooks.deliverDue();
    expect(receiver.received.map((r) => r.id)).toEqual([failed.messageId]);
  });

  it('never loses a queued event across a restart', async () => {
    const first = await startServer(LOOPBACK_RECEIVERS);
    const fixture = await liveGiveaway(first);
    const { receiver } = await subscribe(first, fixture, ['participant.joined']);
    receiver.failNext = 1;
    await join(first, fixture.slug);
    await first.services.webhooks.deliverDue();
    await first.close();

    const second = await startServer(LOOPBACK_RECEIVERS, first.databaseUrl);
    second.clock.now = first.clock.now + 60_000;
    await second.services.webhooks.deliverDue();
    expect(receiver.received.map((r) => r.type)).toEqual(['participant.joined']);
  });

  it('refuses loopback and private destinations unless the operator allows them', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server);
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://[::1]/x',
      'http://169.254.169.254/latest',
      'http://10.1.2.3/',
    ]) {
      const res = await server.request({
        method: 'POST',
        url: `/api/v1/projects/${fixture.projectId}/webhooks`,
        headers: bearer(fixture.host.token),
        payload: { url },
      });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().message).toMatch(/WEBHOOK_ALLOW_PRIVATE_URLS/);
    }
  });

  it('takes at most 20 endpoints a project, and one again once one is deleted', async () => {
    const server = await startServer(LOOPBACK_RECEIVERS);
    const fixture = await liveGiveaway(server);
    const auth = bearer(fixture.host.token);
    const url = `/api/v1/projects/${fixture.projectId}/webhooks`;
    const add = (i: number) =>
      server.request({
        method: 'POST',
        url,
        headers: auth,
        payload: { url: `http://127.0.0.1:9/hooks/${i}` },
      });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await add(i);
      expect(res.statusCode).toBe(201);
      ids.push(res.json().id);
    }
    const refused = await add(20);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'invalid_state',
      message: expect.stringMatching(/20 webhook endpoints, the most/),
    });
    await server.request({ method: 'DELETE', url: `${url}/${ids[0]}`, headers: auth });
    expect((await add(21)).statusCode).toBe(201);
  });

  it("changes an endpoint's events and turns it off and on, for its own host only", async () => {
    const server = await startServer(LOOPBACK_RECEIVERS);
    const fixture = await liveGiveaway(server);
    const { receiver, endpointId } = await subscribe(server, fixture);
    const patch = (payload: unknown, token = fixture.host.token) =>
      server.request({
        method: 'PATCH',
        url: `/api/v1/projects/${fixture.projectId}/webhooks/${endpointId}`,
        headers: bearer(token),
        payload: payload as object,
      });
    const narrowed = await patch({ events: ['participant.joined', 'participant.joined'] });
    expect(narrowed.statusCode).toBe(200);
    expect(narrowed.json()).toMatchObject({ events: ['participant.joined'], enabled: true });
    const fan = await join(server, fixture.slug);
    const trackId = await trackIdFor(server, fan, fixture.tasks[0].id);
    await postCallback(server, signedCallback(fixture.apiKey, trackId, 'sign_up'));
    await server.services.webhooks.deliverDue();
    expect(receiver.received.map((r) => r.type)).toEqual(['participant.joined']);

    const off = await patch({ enabled: false });
    expect(off.json()).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/^turned off by the host/),
    });
    await join(server, fixture.slug);
    await server.services.webhooks.deliverDue();
    expect(receiver.received).toHaveLength(1);
    expect((await patch({ enabled: true })).json()).toMatchObject({ enabled: true, disabledReason: null });

    // Nothing to change, no event, or another host: refused, and the endpoint is as it was.
    expect((await patch({})).statusCode).toBe(400);
    expect((await patch({ events: [] })).statusCode).toBe(400);
    const other = await liveGiveaway(server);
    expect((await patch({ enabled: false }, other.host.token)).statusCode).toBe(404);
    const listed = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}/webhooks`,
      headers: bearer(fixture.host.token),
    });
    expect(listed.json().endpoints).toEqual([
      expect.objectContaining({ id: endpointId, events: ['participant.joined'], enabled: true }),
    ]);
  });

  it('refuses another host, a bad URL, an unknown event and no event', async () => {
    const server = await startServer(LOOPBACK_RECEIVERS);
    const fixture = await liveGiveaway(server);
    const other = await liveGiveaway(server);
    const res = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/webhooks`,
      headers: bearer(other.host.token),
      payload: { url: 'https://hooks.example/x' },
    });
    expect(res.statusCode).toBe(404);
    const bad = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/webhooks`,
      headers: bearer(fixture.host.token),
      payload: { url: 'file:///etc/passwd' },
    });
    expect(bad.statusCode).toBe(400);
    const unknownEvent = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/webhooks`,
      headers: bearer(fixture.host.token),
      payload: { url: 'https://hooks.example/x', events: ['task.completed', 'task.done'] },
    });
    expect(unknownEvent.statusCode).toBe(400);
    expect(unknownEvent.json().fields).toEqual([
      {
        field: 'events.1',
        message: expect.stringMatching(/^event 2 must be one of participant\.joined, task\.completed/),
      },
    ]);
    // Every box unticked is not every event.
    const none = await server.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/webhooks`,
      headers: bearer(fixture.host.token),
      payload: { url: 'https://hooks.example/x', events: [] },
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toBe('events must name at least one event (leave it out for every event)');
  });

  // PostgreSQL's claims wait on the network, so a delivery can end while one runs; SQLite's cannot.
  it.runIf(testEngine === 'postgres')(
    'waits for the deliveries that a delivery ending during a claim goes on to start',
    async () => {
      const server = await startServer(LOOPBACK_RECEIVERS);
      const fixture = await liveGiveaway(server);
      // The first endpoint's receiver holds its first two deliveries until told.
      const held: ServerResponse[] = [];
      const received: string[] = [];
      const holding = createServer(async (req, res) => {
        received.push(await read(req));
        if (held.length < 2) held.push(res);
        else res.writeHead(204).end();
      });
      await new Promise<void>((resolve) => holding.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(holding.address() as AddressInfo).port}/`;
      const first = await server.request({
        method: 'POST',
        url: `/api/v1/projects/${fixture.projectId}/webhooks`,
        headers: bearer(fixture.host.token),
        payload: { url, events: ['participant.joined'] },
      });
      expect(first.statusCode).toBe(201);
      for (let i = 0; i < 4; i++) await join(server, fixture.slug);
      void server.services.webhooks.pump();
      await expect.poll(() => held.length, { timeout: 20_000 }).toBe(2);

      // A second endpoint's message, which the next claim will wait for while the test holds its row.
      const { receiver } = await subscribe(server, fixture, ['participant.joined']);
      await join(server, fixture.slug);
      const other = new pg.Client({ connectionString: server.databaseUrl });
      await other.connect();
      try {
        await other.query('begin');
        const locked = await other.query(
          `select m.id from webhook_messages m join webhook_endpoints e on e.id = m.endpoint_id
           where e.url <> $1 and m.state = 'pending' for update of m`,
          [url],
        );
        expect(locked.rowCount).toBe(1);
        const delivering = server.services.webhooks.deliverDue();
        // Watched from a connection of its own: the server's pool is busy, and a transaction sees one snapshot.
        const watcher = new pg.Client({ connectionString: server.databaseUrl });
        await watcher.connect();
        const waitingOnLock = async () =>
          Number(
            (
              await watcher.query(
                `select count(*) as n from pg_stat_activity
                 where datname = current_database() and wait_event_type = 'Lock'`,
              )
            ).rows[0].n,
          );
        await expect.poll(waitingOnLock, { timeout: 20_000 }).toBe(1);
        await watcher.end();

        // The held deliveries end while the claim waits; then the row it waited for turns out not due.
        for (const res of held) res.writeHead(204).end();
        const attempts = async () =>
          Number(
            (await other.query(`select count(*) as n from webhook_attempts where status = 204`)).rows[0].n,
          );
        await expect.poll(attempts, { timeout: 20_000 }).toBe(2);
        await other.query(
          `update webhook_messages set next_attempt_at = next_attempt_at + 3600000 where id = $1`,
          [locked.rows[0].id],
        );
        await other.query('commit');
        await delivering;
        // Every join reached the first endpoint, the two the claim's wait held back included.
        expect(received).toHaveLength(5);
        expect(receiver.received).toHaveLength(0);
      } finally {
        await other.end();
        holding.closeAllConnections();
        holding.close();
      }
    },
  );
});
