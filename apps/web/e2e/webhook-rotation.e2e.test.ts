import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EndpointList } from '@proofdrop/contract';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchChromium } from './support/browser.js';
import { expectAccessibleAndNarrow } from './support/checks.js';
import { publishedGiveaway, type Scenario } from './support/host-api.js';
import { type Proofdrop, startProofdrop } from './support/proofdrop.js';

type Received = { headers: IncomingHttpHeaders; body: string };

/** The host's webhook receiver: answers 204 to everything and keeps what it got, in order. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received, server };
}

/** Standard Webhooks: each `v1,<base64>` of the header, checked against `secret`. */
function signedWith(delivery: Received, secret: string): boolean[] {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = `v1,${createHmac('sha256', key)
    .update(`${delivery.headers['webhook-id']}.${delivery.headers['webhook-timestamp']}.${delivery.body}`)
    .digest('base64')}`;
  return String(delivery.headers['webhook-signature'])
    .split(' ')
    .map((signature) => signature === expected);
}

/**
 * The webhooks panel, in Chromium against the built server: rotating a secret with the grace period the host
 * picks (the old secret signs alongside the new one until then, or stops at once), an API refusal shown as
 * the server words it, and deleting in two steps.
 */
describe('webhook secret rotation', () => {
  let proofdrop: Proofdrop;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let browser: Browser;
  let page: Page;
  let scenario: Scenario;
  let projectId = '';
  let joined = 0;

  const secret = async () =>
    (await scenario.host.call<EndpointList>('GET', `/api/v1/projects/${projectId}/webhooks`)).endpoints[0]
      ?.secret ?? '';

  /** A participant joins, and the receiver's next `participant.joined` delivery is returned. */
  async function nextJoinDelivery(): Promise<Received> {
    joined += 1;
    await scenario.host.call('POST', `/api/v1/giveaways/${scenario.slug}/entries`, {
      email: `fan${joined}@example.com`,
    });
    await expect
      .poll(() => receiver.received.filter((r) => r.body.includes(`fan${joined}@`)).length, {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    return receiver.received.filter((r) => r.body.includes(`fan${joined}@`))[0] as Received;
  }

  beforeAll(async () => {
    [proofdrop, receiver, browser] = await Promise.all([
      startProofdrop({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }),
      startReceiver(),
      launchChromium(),
    ]);
    scenario = await publishedGiveaway(proofdrop.base, 'https://shop.example/welcome', 'hooks@shop.example');
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    await page.goto(`${proofdrop.base}/login`);
    await page.getByLabel('Email').fill('hooks@shop.example');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Example Shop' }).click();
    await page.getByRole('heading', { level: 1, name: 'Example Shop' }).waitFor();
    projectId = page.url().split('/projects/')[1] ?? '';
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => receiver?.server.close(resolve));
    await proofdrop?.stop();
  });

  it("shows the server's reason when an endpoint is refused, then adds one", async () => {
    const form = page.getByRole('form', { name: 'Add a webhook endpoint' });
    await form.getByLabel('Endpoint URL').fill('https://hooks.invalid/proofdrop');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await form
      .getByRole('alert')
      .getByText(/hooks\.invalid/)
      .waitFor();
    await form.getByLabel('Endpoint URL').fill(receiver.url);
    // The events it receives are chosen here: all by default, one left out.
    await form.getByRole('checkbox', { name: 'giveaway.drawn' }).uncheck();
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByText(receiver.url, { exact: true }).waitFor();
    await page
      .getByText('participant.joined, task.completed, participant.eligible, giveaway.ended', { exact: true })
      .waitFor();
    expect(await form.getByRole('checkbox', { name: 'giveaway.drawn' }).isChecked()).toBe(true);
  });

  it('sends a test event on request, and shows what the endpoint answered', async () => {
    const panel = page.getByRole('region', { name: 'Webhooks' });
    const before = receiver.received.length;
    await panel.getByRole('button', { name: 'Send test event' }).click();
    await panel.getByText('Test event sent: its delivery below shows what your endpoint answered.').waitFor();
    const deliveries = panel.getByRole('list', { name: 'Deliveries' });
    await deliveries.getByText(/webhook\.test · delivered/).waitFor();
    await deliveries.getByText(/Last try .+: 204/).waitFor();
    const delivery = receiver.received[before] as Received;
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'webhook.test', data: { projectId } });
    expect(signedWith(delivery, await secret())).toEqual([true]);
    // Narrowed to one state: none has failed, and the test is among those delivered.
    await panel.getByLabel('Deliveries to show').selectOption({ label: 'Failed (retries given up)' });
    await panel.getByText('None in this state').waitFor();
    await panel.getByLabel('Deliveries to show').selectOption({ label: 'Delivered' });
    await deliveries.getByText(/webhook\.test · delivered/).waitFor();
    await expectAccessibleAndNarrow(page, 'webhooks, test event delivered');
    await panel.getByRole('button', { name: 'Hide deliveries' }).click();
  });

  it("changes an endpoint's events in place, and turns it off and on again", async () => {
    const panel = page.getByRole('region', { name: 'Webhooks' });
    await panel.getByRole('button', { name: 'Edit events' }).click();
    const events = panel.getByRole('form', { name: `Events of ${receiver.url}` });
    expect(await events.getByRole('checkbox', { name: 'giveaway.drawn' }).isChecked()).toBe(false);
    await events.getByRole('checkbox', { name: 'task.completed' }).uncheck();
    await events.getByRole('button', { name: 'Save events' }).click();
    await panel
      .getByText('participant.joined, participant.eligible, giveaway.ended', { exact: true })
      .waitFor();
    expect(await events.count()).toBe(0);

    await panel.getByRole('button', { name: 'Turn off' }).click();
    await panel.getByText('✗ Disabled').waitFor();
    await panel.getByText(/turned off by the host/).waitFor();
    await panel.getByRole('button', { name: 'Enable' }).click();
    await panel.getByText('✓ Enabled').waitFor();
  });

  it('rotates with a grace period: the old secret keeps signing alongside the new one until its end', async () => {
    const old = await secret();
    const panel = page.getByRole('region', { name: 'Webhooks' });
    expect(await panel.getByLabel('Old secret keeps signing for').inputValue()).toBe('24');
    await panel
      .getByText(
        'The old secret keeps signing alongside the new one for 24 hours, so your receiver can switch',
      )
      .waitFor();
    await panel.getByLabel('Old secret keeps signing for').selectOption({ label: '7 days' });
    await panel.getByText('alongside the new one for 7 days').waitFor();
    await panel.getByRole('button', { name: 'Rotate secret' }).click();
    await panel.getByText('Replace the secret?', { exact: true }).waitFor();
    await panel.getByRole('button', { name: 'Yes, rotate secret' }).click();
    await panel.getByText(/New secret ready: .+ The old one keeps signing until .+\./).waitFor();
    await expectAccessibleAndNarrow(page, 'webhooks, rotated with grace');

    const current = await secret();
    expect(current).not.toBe(old);
    const delivery = await nextJoinDelivery();
    expect(signedWith(delivery, current)).toEqual([true, false]);
    expect(signedWith(delivery, old)).toEqual([false, true]);

    // The window's end comes from the server, so it is still shown after a reload.
    await page.reload();
    await page
      .getByRole('region', { name: 'Webhooks' })
      .getByText(/The previous secret keeps signing alongside this one until .+\./)
      .waitFor();
  });

  it('rotates at once when the secret leaked: only the new secret signs', async () => {
    const panel = page.getByRole('region', { name: 'Webhooks' });
    await panel
      .getByLabel('Old secret keeps signing for')
      .selectOption({ label: 'Stop it at once (it leaked)' });
    await panel.getByText('Deliveries are signed with the new secret only, from now on.').waitFor();
    await panel.getByRole('button', { name: 'Rotate secret' }).click();
    await panel.getByText('Replace the secret? Your receiver must switch at once.').waitFor();
    await panel.getByRole('button', { name: 'Yes, rotate secret' }).click();
    await panel.getByText('the old one no longer signs.', { exact: false }).waitFor();

    const delivery = await nextJoinDelivery();
    expect(signedWith(delivery, await secret())).toEqual([true]);
  });

  it('deletes the endpoint in two steps', async () => {
    const panel = page.getByRole('region', { name: 'Webhooks' });
    await panel.getByRole('button', { name: 'Delete' }).click();
    await panel.getByText('Delete this endpoint and its delivery log?').waitFor();
    await panel.getByRole('button', { name: 'Yes, delete' }).click();
    await panel.getByText('No webhook endpoints').waitFor();
  });
});
