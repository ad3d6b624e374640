import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { bearer, join, liveGiveaway, startServer } from '../../../apps/server/test/support.js';
import { verifyWebhook, type WebhookEvent } from '../src/index.js';

/** What a host's endpoint got: each delivery's verified event, or why verifyWebhook refused it. */
const verified: WebhookEvent[] = [];
const refused: string[] = [];
let secret = '';

const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      verified.push(verifyWebhook(secret, Buffer.concat(chunks), req.headers as IncomingHttpHeaders));
      res.writeHead(204).end();
    } catch (error) {
      refused.push((error as Error).message);
      res.writeHead(400).end();
    }
  });
});
afterAll(() => {
  receiver.close();
});

it("verifyWebhook accepts the deliveries Proofdrop's webhook outbox sends", async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  // The receiver listens on loopback, which a default install refuses as a webhook destination.
  const server = await startServer({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
  const giveaway = await liveGiveaway(server);
  const endpoint = await server.request({
    method: 'POST',
    url: `/api/v1/projects/${giveaway.projectId}/webhooks`,
    headers: bearer(giveaway.host.token),
    payload: {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/proofdrop`,
      events: ['participant.joined'],
    },
  });
  secret = endpoint.json().secret;
  const fan = await join(server, giveaway.slug);
  await server.services.webhooks.deliverDue();

  expect(refused).toEqual([]);
  expect(verified).toEqual([
    {
      type: 'participant.joined',
      timestamp: expect.any(String),
      data: expect.objectContaining({ giveawayId: giveaway.giveawayId, participantId: fan.participantId }),
    },
  ]);
});
