import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  trackIdFor,
} from './support.js';

const DAY_MS = 86_400_000;

const receiver = createServer((_req, res) => res.writeHead(204).end());
afterAll(() => {
  receiver.closeAllConnections();
  receiver.close();
});

async function receiverUrl(): Promise<string> {
  if (!receiver.listening) await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
}

async function subscribe(server: TestServer, fixture: GiveawayFixture, url: string): Promise<string> {
  const res = await server.request({
    method: 'POST',
    url: `/api/v1/projects/${fixture.projectId}/webhooks`,
    headers: bearer(fixture.host.token),
    payload: { url, events: ['participant.joined'] },
  });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

async function deliveryStates(server: TestServer, fixture: GiveawayFixture, endpointId: string) {
  const res = await server.request({
    method: 'GET',
    url: `/api/v1/projects/${fixture.projectId}/webhooks/${endpointId}/deliveries`,
    headers: bearer(fixture.host.token),
  });
  return res.json().deliveries.map((d: { state: string }) => d.state);
}

async function logRemarks(server: TestServer, fixture: GiveawayFixture): Promise<string[]> {
  const res = await server.request({
    method: 'GET',
    url: `/api/v1/projects/${fixture.projectId}/callbacks?limit=100`,
    headers: bearer(fixture.host.token),
  });
  return res.json().callbacks.map((c: { remark: string | null }) => c.remark);
}

/** A log row, a delivered webhook and one still being retried, all two days old; then a fresh log row. */
async function agedServer(env: Record<string, string>) {
  const server = await startServer({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', ...env });
  const fixture = await liveGiveaway(server);
  const delivered = await subscribe(server, fixture, await receiverUrl());
  // Nothing listens on port 1: its deliveries fail and wait for their retry.
  const retrying = await subscribe(server, fixture, 'http://127.0.0.1:1/');
  const trackId = await trackIdFor(server, await join(server, fixture.slug), fixture.tasks[0]?.id as string);
  await server.services.webhooks.deliverDue();
  await postCallback(server, signedCallback('f'.repeat(64), trackId, 'sign_up', 'old'));
  server.clock.advance(2 * DAY_MS);
  await postCallback(server, signedCallback('f'.repeat(64), trackId, 'sign_up', 'new'));
  return { server, fixture, delivered, retrying };
}

describe('retention', () => {
  it('deletes callback-log rows and settled webhook deliveries older than LOG_RETENTION_DAYS', async () => {
    const { server, fixture, delivered, retrying } = await agedServer({ LOG_RETENTION_DAYS: '1' });
    // The background tick may have purged already; the test does not wait for it.
    await server.services.retention.purge();
    expect(await logRemarks(server, fixture)).toEqual(['new']);
    expect(await deliveryStates(server, fixture, delivered)).toEqual([]);
    // A delivery still being retried is kept, however old.
    expect(await deliveryStates(server, fixture, retrying)).toEqual(['pending']);
    // Only the pending delivery's attempts are left.
    const attempts = await server.db.selectFrom('webhook_attempts').select('message_id').execute();
    expect(new Set(attempts.map((a) => a.message_id)).size).toBe(1);
  });

  it('keeps everything when LOG_RETENTION_DAYS is 0', async () => {
    const { server, fixture, delivered } = await agedServer({ LOG_RETENTION_DAYS: '0' });
    await server.services.retention.purge();
    expect(await logRemarks(server, fixture)).toEqual(['new', 'old']);
    expect(await deliveryStates(server, fixture, delivered)).toEqual(['delivered']);
  });
});
