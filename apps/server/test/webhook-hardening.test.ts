import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import type { Resolve } from '../src/webhooks/destination.js';
import { setEndpointSecret } from '../src/webhooks/webhooks.repository.js';
import { bearer, type GiveawayFixture, join, liveGiveaway, startServer, type TestServer } from './support.js';

/** A receiver on loopback: it answers 204 at once, or holds every request open while `hold` is set. */
class Receiver {
  readonly bodies: { body: string; headers: IncomingMessage['headers'] }[] = [];
  readonly held: ServerResponse[] = [];
  /** Requests whose sender gave up before they were answered. */
  abandoned = 0;
  hold = false;
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  private readonly server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.bodies.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
    if (this.hold) {
      this.held.push(res);
      res.once('close', () => {
        if (!res.writableEnded) this.abandoned++;
      });
    } else {
      res.writeHead(204).end();
    }
    for (const waiter of this.waiters.filter((w) => this.bodies.length >= w.count)) waiter.resolve();
  });

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Resolves once `count` requests have arrived. */
  received(count: number): Promise<void> {
    if (this.bodies.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  release(): void {
    for (const res of this.held.splice(0)) res.writeHead(204).end();
  }

  close(): void {
    this.release();
    this.server.closeAllConnections();
    this.server.close();
  }
}

const receivers: Receiver[] = [];
afterAll(() => {
  for (const receiver of receivers) receiver.close();
});

async function receiver(): Promise<{ receiver: Receiver; port: number }> {
  const r = new Receiver();
  receivers.push(r);
  return { receiver: r, port: await r.start() };
}

async function subscribe(server: TestServer, fixture: GiveawayFixture, url: string) {
  const res = await server.request({
    method: 'POST',
    url: `/api/v1/projects/${fixture.projectId}/webhooks`,
    headers: bearer(fixture.host.token),
    payload: { url, events: ['participant.joined'] },
  });
  return res;
}

async function deliveries(server: TestServer, fixture: GiveawayFixture, endpointId: string) {
  const res = await server.request({
    method: 'GET',
    url: `/api/v1/projects/${fixture.projectId}/webhooks/${endpointId}/deliveries`,
    headers: bearer(fixture.host.token),
  });
  return res.json().deliveries as { state: string; attempts: { error: string | null }[] }[];
}

/** DNS the test controls: each name answers what `answers` says at the moment it is asked. */
function fakeDns(answers: Record<string, string | 'never'>): Resolve {
  return (hostname) => {
    const answer = answers[hostname];
    if (answer === 'never') return new Promise(() => {});
    if (answer === undefined) return Promise.reject(new Error(`ENOTFOUND ${hostname}`));
    return Promise.resolve([{ address: answer, family: answer.includes(':') ? 6 : 4 }]);
  };
}

describe('webhook destinations are checked where the delivery connects', () => {
  it('connects to the address its own checked lookup gave, not to a second lookup', async () => {
    const { receiver: target, port } = await receiver();
    // Only the server's checked resolver knows this name: a delivery that resolves it again fails.
    const dns = fakeDns({ 'hooks.proofdrop.test': '127.0.0.1' });
    const server = await startServer({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }, undefined, {
      webhookDns: { resolve: dns, timeoutMs: 1000 },
    });
    const fixture = await liveGiveaway(server);
    const created = await subscribe(server, fixture, `http://hooks.proofdrop.test:${port}/in`);
    expect(created.statusCode, created.body).toBe(201);
    await join(server, fixture.slug);
    await server.services.webhooks.deliverDue();
    expect(target.bodies).toHaveLength(1);
    const [delivery] = await deliveries(server, fixture, created.json().id);
    expect(delivery?.state).toBe('delivered');
  });

  it('refuses a name that rebinds to loopback after it was checked, and the receiver gets nothing', async () => {
    const { receiver: target, port } = await receiver();
    const answers: Record<string, string> = { 'rebind.proofdrop.test': '93.184.216.34' };
    const server = await startServer({}, undefined, {
      webhookDns: { resolve: fakeDns(answers), timeoutMs: 1000 },
    });
    const fixture = await liveGiveaway(server);
    const created = await subscribe(server, fixture, `http://rebind.proofdrop.test:${port}/in`);
    expect(created.statusCode, created.body).toBe(201);
    answers['rebind.proofdrop.test'] = '127.0.0.1';
    await join(server, fixture.slug);
    await server.services.webhooks.deliverDue();
    expect(target.bodies).toHaveLength(0);
    const [delivery] = await deliveries(server, fixture, created.json().id);
    expect(delivery?.state).toBe('pending');
    expect(delivery?.attempts[0]?.error).toMatch(
      /rebind\.proofdrop\.test is a loopback, private or reserved/,
    );
  });

  it('refuses NAT64 addresses, which reach IPv4 private networks through a gateway', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server);
    for (const url of ['http://[64:ff9b::7f00:1]/x', 'http://[64:ff9b::a9fe:a9fe]/latest']) {
      const res = await subscribe(server, fixture, url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().message).toMatch(/loopback, private or reserved/);
    }
  });

  it('gives up on a DNS lookup that never answers, and retries later', async () => {
    const answers: Record<string, string> = { 'slow.proofdrop.test': '93.184.216.34' };
    const server = await startServer({}, undefined, {
      webhookDns: { resolve: fakeDns(answers), timeoutMs: 50 },
    });
    const fixture = await liveGiveaway(server);
    const created = await subscribe(server, fixture, 'http://slow.proofdrop.test/in');
    expect(created.statusCode, created.body).toBe(201);
    answers['slow.proofdrop.test'] = 'never';
    await join(server, fixture.slug);
    await server.services.webhooks.deliverDue();
    const [delivery] = await deliveries(server, fixture, created.json().id);
    expect(delivery?.state).toBe('pending');
    expect(delivery?.attempts[0]?.error).toBe(
      'the host name slow.proofdrop.test did not resolve within 50 ms',
    );
  });
});

describe('fair delivery', () => {
  it('delivers to a healthy endpoint while another endpoint hangs', async () => {
    const server = await startServer({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    const fixture = await liveGiveaway(server);
    const { receiver: hanging, port: hangingPort } = await receiver();
    const { receiver: healthy, port: healthyPort } = await receiver();
    hanging.hold = true;
    expect((await subscribe(server, fixture, `http://127.0.0.1:${hangingPort}/`)).statusCode).toBe(201);
    expect((await subscribe(server, fixture, `http://127.0.0.1:${healthyPort}/`)).statusCode).toBe(201);

    for (let i = 0; i < 3; i++) await join(server, fixture.slug);
    void server.services.webhooks.pump();
    await hanging.received(2);
    await healthy.received(3);

    // New events while the hanging endpoint still holds its deliveries open.
    for (let i = 0; i < 3; i++) await join(server, fixture.slug);
    void server.services.webhooks.pump();
    await healthy.received(6);
    expect(hanging.abandoned).toBe(0);
    // At most two deliveries at once to one endpoint: the rest of its backlog waits for its own slots.
    expect(hanging.bodies).toHaveLength(2);

    hanging.hold = false;
    hanging.release();
    await server.services.webhooks.deliverDue();
    expect(hanging.bodies).toHaveLength(6);
    expect(hanging.abandoned).toBe(0);
  });
});

describe('endpoint secrets and removal', () => {
  async function endpoint(server: TestServer) {
    const fixture = await liveGiveaway(server);
    const { receiver: target, port } = await receiver();
    const created = await subscribe(server, fixture, `http://127.0.0.1:${port}/`);
    expect(created.statusCode).toBe(201);
    const { id, secret } = created.json() as { id: string; secret: string };
    const base = `/api/v1/projects/${fixture.projectId}/webhooks/${id}`;
    return { fixture, target, id, secret, base };
  }

  it('takes a rotation window in fractions of an hour', async () => {
    const server = await startServer({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    const { fixture, base } = await endpoint(server);
    const third = await server.request({
      method: 'POST',
      url: `${base}/rotate-secret`,
      headers: bearer(fixture.host.token),
      payload: { graceHours: 1 / 7 },
    });
    expect(third.statusCode, third.body).toBe(200);
    expect(third.json().previousSecretExpiresAt).toBe(
      new Date(Math.round(server.clock.now + 3_600_000 / 7)).toISOString(),
    );
  });

  it('refuses a secret rotation that another beat to it, so no secret it answers is one that never signs', async () => {
    const server = await startServer({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    const { fixture, base } = await endpoint(server);
    const endpointId = base.split('/').at(-1) as string;
    const stale = await server.db
      .selectFrom('webhook_endpoints')
      .select('secret')
      .where('id', '=', endpointId)
      .executeTakeFirstOrThrow();
    const rotate = () =>
      server.request({ method: 'POST', url: `${base}/rotate-secret`, headers: bearer(fixture.host.token) });
    expect((await rotate()).statusCode).toBe(200);
    expect(await setEndpointSecret(server.db, endpointId, stale.secret, stale.secret, null)).toBe(false);
    const kept = await server.db
      .selectFrom('webhook_endpoints')
      .select('previous_secret')
      .where('id', '=', endpointId)
      .executeTakeFirstOrThrow();
    expect(kept.previous_secret).toBe(stale.secret);
  });

  it('signs with the new and the old secret during the rotation window, then with the new one only', async () => {
    const server = await startServer({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    const { fixture, target, secret: oldSecret, base } = await endpoint(server);
    const rotated = await server.request({
      method: 'POST',
      url: `${base}/rotate-secret`,
      headers: bearer(fixture.host.token),
      payload: { graceHours: 2 },
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const newSecret = rotated.json().secret as string;
    expect(newSecret).not.toBe(oldSecret);
    const oldSecretEnds = new Date(server.clock.now + 2 * 3_600_000).toISOString();
    expect(rotated.json().previousSecretExpiresAt).toBe(oldSecretEnds);
    const listed = await server.request({
      method: 'GET',
      url: base.replace(/\/[^/]+$/, ''),
      headers: bearer(fixture.host.token),
    });
    expect(listed.json().endpoints[0].previousSecretExpiresAt).toBe(oldSecretEnds);

    await join(server, fixture.slug);
    await server.services.webhooks.deliverDue();
    const during = target.bodies[0];
    expect(String(during?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [newSecret, oldSecret]) {
      expect(() =>
        new Webhook(secret).verify(during?.body ?? '', during?.headers as Record<string, string>),
      ).not.toThrow();
    }

    server.clock.advance(2 * 3_600_000 + 1);
    const afterWindow = await server.request({
      method: 'GET',
      url: base.replace(/\/[^/]+$/, ''),
      headers: bearer(fixture.host.token),
    });
    expect(afterWindow.json().endpoints[0].previousSecretExpiresAt).toBeNull();
    await join(server, fixture.slug);
    await server.services.webhooks.deliverDue();
    const after = target.bodies[1];
    expect(String(after?.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() =>
      new Webhook(newSecret).verify(after?.body ?? '', after?.headers as Record<string, string>),
    ).not.toThrow();
    expect(() =>
      new Webhook(oldSecret).verify(after?.body ?? '', after?.headers as Record<string, string>),
    ).toThrow();
  });

  it('drops the old secret at once when the grace period is 0', async () => {
    const server = await startServer({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    const { fixture, target, base } = await endpoint(server);
    const rotated = await server.request({
      method: 'POST',
      url: `${base}/rotate-secret`,
      headers: bearer(fixture.host.token),
      payload: { graceHours: 0 },
    });
    expect(rotated.json().previousSecretExpiresAt).toBeNull();
    await join(server, fixture.slug);
    await server.services.webhooks.deliverDue();
    const [delivery] = target.bodies;
    expect(String(delivery?.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() =>
      new Webhook(rotated.json().secret).verify(
        delivery?.body ?? '',
        delivery?.headers as Record<string, string>,
      ),
    ).not.toThrow();
  });

  it('deletes an endpoint: nothing more is sent to it, and another host cannot delete or rotate it', async () => {
    const server = await startServer({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    const { fixture, target, base } = await endpoint(server);
    const stranger = await liveGiveaway(server);
    for (const [method, url] of [
      ['DELETE', base],
      ['POST', `${base}/rotate-secret`],
    ] as const) {
      const res = await server.request({ method, url, headers: bearer(stranger.host.token) });
      expect(res.statusCode, url).toBe(404);
    }
    const removed = await server.request({
      method: 'DELETE',
      url: base,
      headers: bearer(fixture.host.token),
    });
    expect(removed.statusCode).toBe(204);
    await join(server, fixture.slug);
    await server.services.webhooks.deliverDue();
    expect(target.bodies).toHaveLength(0);
    const list = await server.request({
      method: 'GET',
      url: `/api/v1/projects/${fixture.projectId}/webhooks`,
      headers: bearer(fixture.host.token),
    });
    expect(list.json().endpoints).toEqual([]);
  });
});
