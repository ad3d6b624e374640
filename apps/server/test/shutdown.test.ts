import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  bearer,
  freshDatabaseUrl,
  liveGiveaway,
  readEvents,
  spawnServer,
  startServer,
  step,
} from './support.js';

/** A webhook receiver that takes every delivery and never answers. */
async function hangingReceiver() {
  const held: ServerResponse[] = [];
  let arrived: () => void = () => {};
  const firstArrival = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const server = createServer((_req, res) => {
    held.push(res);
    arrived();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    server.closeAllConnections();
    server.close();
  };
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, firstArrival, held, close };
}

describe('SIGTERM', () => {
  it('exits by its deadline with a live stream, a slow upload and a webhook delivery still open', async () => {
    const databaseUrl = await freshDatabaseUrl();
    const receiver = await hangingReceiver();
    const setup = await startServer({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }, databaseUrl);
    const fixture = await liveGiveaway(setup);
    const subscribed = await setup.request({
      method: 'POST',
      url: `/api/v1/projects/${fixture.projectId}/webhooks`,
      headers: bearer(fixture.host.token),
      payload: { url: receiver.url, events: ['participant.joined'] },
    });
    expect(subscribed.statusCode).toBe(201);
    await setup.close();

    const { child, base } = await spawnServer(databaseUrl, {
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      SHUTDOWN_TIMEOUT_S: '1',
      // Only the shutdown deadline may end the slow upload here.
      REQUEST_TIMEOUT_S: '0',
    });
    try {
      const joined = await fetch(`${base}/api/v1/giveaways/${fixture.slug}/entries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'fan@example.com' }),
      });
      expect(joined.status).toBe(201);
      const { token } = (await joined.json()) as { token: string };
      await step('the webhook delivery reaching the receiver', receiver.firstArrival);

      let streamOpen: () => void = () => {};
      const opened = new Promise<void>((resolve) => {
        streamOpen = resolve;
      });
      const stream = readEvents(
        `${base}/api/v1/giveaways/${fixture.slug}/entries/me/events`,
        bearer(token),
        () => {
          streamOpen();
          return false;
        },
        60_000,
      );

      const upload = connect(Number(new URL(base).port), '127.0.0.1');
      await once(upload, 'connect');
      upload.write(
        'POST /api/v1/auth/login HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"email":',
      );
      // Read the socket: a paused one may never see the server's FIN, and would never close.
      upload.resume();
      const uploadClosed = once(upload, 'close');
      // A stream refused (a 429 or a 503) would never open: it fails here, with its status.
      await step(
        'the stream opening',
        Promise.race([
          opened,
          stream.then(({ status }) => Promise.reject(new Error(`stream answered ${status}`))),
        ]),
      );

      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await step('the process exiting', exited);
      expect(code).toBe(0);
      await step('the upload being cut', uploadClosed);
      expect((await stream).status).toBe(200);
    } finally {
      child.kill('SIGKILL');
      receiver.close();
    }
    // Two servers start here, one in a process of its own, on a machine CI shares with Chromium: the deadline
    // itself is one second, and each step above has its own bound.
  }, 180_000);
});
