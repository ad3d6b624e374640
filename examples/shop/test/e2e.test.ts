import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { launchChromium, startExample } from './support.js';

let browser: Browser;
let example: Awaited<ReturnType<typeof startExample>>;

beforeAll(async () => {
  [browser, example] = await Promise.all([launchChromium(), startExample()]);
});
afterAll(() => browser?.close());

const TASKS = {
  signUp: 'Create an account on Example Shop',
  like: 'Like 3 articles',
  deposit: 'Make a deposit',
};

/** A task on the giveaway page, found as a participant sees it: a list item named by the task. */
const task = (page: Page, name: string) => page.getByRole('listitem', { name });

describe('the whole loop in Chromium: giveaway page → Go → the shop → back on the giveaway page, live', () => {
  it('a participant joins, does every task in the shop, and sees them done and themselves eligible', async () => {
    // A page that never shows a count says nothing of why: the shop's log has each callback's verdict.
    onTestFailed(() => console.error(`the shop's log:\n${example.log.join('\n')}`));
    const context = await browser.newContext();
    const giveawayPage = await context.newPage();
    await giveawayPage.goto(`${example.proofdropUrl}/g/${example.demo.slug}`);
    await giveawayPage.getByLabel('Email').fill('e2e-fan@example.com');
    await giveawayPage.getByRole('button', { name: 'Join' }).click();
    await task(giveawayPage, TASKS.signUp).filter({ hasText: '0 / 1' }).waitFor();

    // Go opens the shop through the track link, with the participant's track_id in the URL.
    const [shop] = await Promise.all([
      context.waitForEvent('page'),
      task(giveawayPage, TASKS.signUp).getByRole('link', { name: /^Go/ }).click(),
    ]);
    await shop.waitForLoadState();
    // The shop reads the task it was sent for (`send`) and opens its sign-up page, the track_id kept.
    expect(shop.url()).toMatch(new RegExp(`^${example.shopUrl}signup\\?track_id=[^&]+&send=sign_up$`));

    // The page's module script puts the track_id in the form once it has run: a person takes longer to
    // type than that, a script may not, and a form sent without it is a sign-up the giveaway never hears of.
    await shop
      .locator('form', { has: shop.getByLabel('Email') })
      .locator('input[type="hidden"][name="track_id"]')
      .waitFor({ state: 'attached' });
    await shop.getByLabel('Email').fill('e2e-fan@example.com');
    await shop.getByLabel('Password').fill('espresso-93');
    await shop.getByRole('button', { name: 'Sign up' }).click();
    await shop.getByRole('status').filter({ hasText: 'Welcome' }).waitFor();
    // Live: the giveaway page, never reloaded, shows the sign-up as done.
    await task(giveawayPage, TASKS.signUp).filter({ hasText: '1 / 1' }).waitFor();

    for (let liked = 1; liked <= 3; liked++) {
      await shop.getByRole('button', { name: 'Like', exact: true }).first().click();
      await shop.getByRole('status').filter({ hasText: 'You liked' }).waitFor();
      await task(giveawayPage, TASKS.like)
        .filter({ hasText: `${liked} / 3` })
        .waitFor();
    }
    await shop.getByRole('link', { name: 'Deposit' }).click();
    await shop.getByLabel('Amount (EUR)').fill('25');
    await shop.getByRole('button', { name: 'Deposit' }).click();

    await task(giveawayPage, TASKS.deposit).filter({ hasText: '1 / 1' }).waitFor();
    await giveawayPage.getByText('You are eligible').first().waitFor();
    for (const name of Object.values(TASKS)) {
      expect(await task(giveawayPage, name).textContent()).toContain('Done');
    }
    await context.close();
  });
});
