import type { CallbackTest, Project } from '@proofdrop/contract';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchChromium } from './support/browser.js';
import { HostApi, sendCallback } from './support/host-api.js';
import { type Proofdrop, startProofdrop } from './support/proofdrop.js';

const HOST = { email: 'console@shop.example', password: 'correct horse battery staple' };
/** One more than the server replays to a resuming stream (REPLAY_MAX). */
const GAP = 1001;

/**
 * A live view that falls too far behind is told `resync` rather than replayed to; the web app then reads the
 * whole state again. Seen on the callback console: paused while more than 1,000 callbacks arrive, resumed.
 */
describe('resync after a capped replay', () => {
  let proofdrop: Proofdrop;
  let browser: Browser;
  let page: Page;
  let project: Project;
  let trackId = '';

  /** A refused callback: logged one by one (REJECTION_LOG_RATE=0), without signing work. */
  const badCallback = () =>
    fetch(`${proofdrop.base}/api/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ track_id: trackId, event: 'sign_up', sign: '0'.repeat(64) }),
    }).then((response) => expect(response.status).toBe(401));

  beforeAll(async () => {
    [proofdrop, browser] = await Promise.all([startProofdrop({ REJECTION_LOG_RATE: '0' }), launchChromium()]);
    const host = new HostApi(proofdrop.base);
    await host.signUp(HOST.email);
    project = await host.call<Project>('POST', '/api/v1/projects', { name: 'Example Shop' });
    await host.call('POST', `/api/v1/projects/${project.id}/websites`, {
      name: 'Example Shop',
      url: 'https://shop.example/signup',
    });
    ({ trackId } = await host.call<CallbackTest>('POST', `/api/v1/projects/${project.id}/callback-test`, {
      event: 'sign_up',
    }));
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await proofdrop?.stop();
  });

  it('reloads the callback log when the stream says resync, so the newest callback shows', async () => {
    await page.goto(`${proofdrop.base}/login?next=/projects/${project.id}/callbacks`);
    await page.getByLabel('Email').fill(HOST.email);
    await page.getByLabel('Password').fill(HOST.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await badCallback();
    const log = page.getByRole('list', { name: 'Callbacks, newest first' });
    await log.getByText('Bad signature').waitFor();
    await page.getByText('● Live').waitFor();

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Paused', { exact: true }).waitFor();
    const senders = Array.from({ length: 8 }, async (_, worker) => {
      for (let i = worker; i < GAP; i += 8) await badCallback();
    });
    await Promise.all(senders);
    const last = await sendCallback(proofdrop.base, project.apiKey, {
      trackId,
      event: 'sign_up',
      remark: 'after-the-gap',
    });
    expect(last.code).toBe('verified');

    await page.getByRole('button', { name: 'Resume' }).click();
    await log.getByText('remark "after-the-gap"').waitFor();
    await page.getByText('● Live').waitFor();
  });

  it('reads older callbacks a page at a time, filtered or not', async () => {
    const items = page.getByRole('list', { name: 'Callbacks, newest first' }).getByRole('listitem');
    await expect.poll(() => items.count()).toBe(50);
    await page.getByRole('button', { name: 'Load older callbacks' }).click();
    await expect.poll(() => items.count()).toBe(100);

    await page.getByLabel('Show').selectOption({ label: 'Verified (test)' });
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().textContent()).toContain('after-the-gap');
    expect(await page.getByRole('button', { name: 'Search older callbacks' }).count()).toBe(0);

    await page.getByLabel('Show').selectOption({ label: 'Refused' });
    await expect.poll(() => items.count()).toBe(50);
    await page.getByRole('button', { name: 'Search older callbacks' }).click();
    await expect.poll(() => items.count()).toBe(100);
    // A refused callback sent now shows at the top of the filtered view, live.
    await badCallback();
    await expect.poll(() => items.count()).toBe(101);

    // The one callback that sent a remark, found by it among a thousand.
    await page.getByLabel('Show').selectOption({ label: 'All callbacks' });
    await page.getByLabel('remark', { exact: true }).fill('after-the-gap');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('remark') === 'after-the-gap');
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().textContent()).toContain('Verified (test)');
  });
});
