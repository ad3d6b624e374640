import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemo } from '../src/demo-setup.js';
import { api, launchChromium, startExample } from './support.js';

let browser: Browser;
let example: Awaited<ReturnType<typeof startExample>>;

beforeAll(async () => {
  [browser, example] = await Promise.all([launchChromium(), startExample()]);
});
afterAll(() => browser?.close());

type Me = { eligible: boolean; tasks: { event: string; count: number; completed: boolean }[] };

/** A participant of the demo giveaway, and the shop link their first task's Go button leads to. */
async function participant() {
  const { slug } = example.demo;
  const entry = await api<{ token: string }>(
    example.proofdropUrl,
    'POST',
    `/api/v1/giveaways/${slug}/entries`,
    {
      body: { email: `fan-${Math.random().toString(36).slice(2)}@example.com` },
    },
  );
  const giveaway = await api<{ tasks: { id: string }[] }>(
    example.proofdropUrl,
    'GET',
    `/api/v1/giveaways/${slug}`,
  );
  const visit = await api<{ trackId: string; url: string }>(
    example.proofdropUrl,
    'POST',
    `/api/v1/tasks/${giveaway.tasks[0].id}/visits`,
    { token: entry.token },
  );
  const progress = async () => {
    const me = await api<Me>(example.proofdropUrl, 'GET', `/api/v1/giveaways/${slug}/entries/me`, {
      token: entry.token,
    });
    return { eligible: me.eligible, counts: Object.fromEntries(me.tasks.map((t) => [t.event, t.count])) };
  };
  return { link: visit.url, trackId: visit.trackId, progress };
}

describe('the example shop', () => {
  it('keeps the track_id from the giveaway link through sign-up, likes and a deposit, and proves each', async () => {
    const fan = await participant();
    expect(fan.link).toMatch(new RegExp(`^${example.shopUrl}\\?track_id=.+&send=sign_up$`));
    const page = await browser.newPage();
    await page.goto(fan.link);
    // The participant browses before signing up: the track_id must survive the page changes.
    await page.getByRole('link', { name: 'Deposit' }).click();
    await page.getByRole('link', { name: 'Sign up', exact: true }).first().click();
    await page.getByLabel('Email').fill('shopper@example.com');
    await page.getByLabel('Password').fill('espresso-93');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Welcome');
    for (let i = 0; i < 3; i++) {
      await page.getByRole('button', { name: 'Like', exact: true }).first().click();
      await page.getByRole('status').filter({ hasText: 'You liked' }).waitFor();
    }
    await page.getByRole('link', { name: 'Deposit' }).click();
    await page.getByLabel('Amount (EUR)').fill('25');
    await page.getByRole('button', { name: 'Deposit' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Deposited 25 EUR');
    await page.close();

    await expect
      .poll(fan.progress, { timeout: 20_000 })
      .toEqual({ eligible: true, counts: { sign_up: 1, like_article: 3, deposit: 1 } });
    expect(example.log.filter((line) => !/: (recorded|completed) /.test(line))).toEqual([]);
  });

  it('reports nothing for a visitor who did not come from a giveaway', async () => {
    const before = example.log.length;
    const page = await browser.newPage();
    await page.goto(`${example.shopUrl}signup`);
    await page.getByLabel('Email').fill('walk-in@example.com');
    await page.getByLabel('Password').fill('espresso-93');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('button', { name: 'Like', exact: true }).first().click();
    await page.getByRole('status').filter({ hasText: 'You liked' }).waitFor();
    await page.close();
    expect(example.log.slice(before)).toEqual([]);
  });

  it('the demo setup reuses what exists: a second run keeps the giveaway and the API key', async () => {
    expect(await ensureDemo(example.proofdropUrl, example.shopUrl)).toEqual(example.demo);
  });
});
