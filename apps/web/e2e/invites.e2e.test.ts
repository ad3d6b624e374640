import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchChromium } from './support/browser.js';
import { expectAccessibleAndNarrow } from './support/checks.js';
import { type Proofdrop, startProofdrop } from './support/proofdrop.js';

const PASSWORD = 'correct horse battery staple';

/**
 * Closed sign-up (SIGNUP=closed), in Chromium against the built server: the first host signs up without an
 * invite, makes an invite link in the dashboard and copies it; without a link the sign-up page says sign-up is
 * by invitation; the link signs one person up, once.
 */
describe('sign-up by invitation', () => {
  let proofdrop: Proofdrop;
  let browser: Browser;
  let page: Page;
  let inviteLink = '';

  async function signedOutPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(10_000);
    return { context, page: await context.newPage() };
  }

  async function signUp(on: Page, email: string) {
    await on.getByLabel('Email').fill(email);
    await on.getByLabel('Password').fill(PASSWORD);
    await on.getByRole('button', { name: 'Sign up' }).click();
  }

  beforeAll(async () => {
    [proofdrop, browser] = await Promise.all([startProofdrop({ SIGNUP: 'closed' }), launchChromium()]);
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(10_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: proofdrop.base });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await proofdrop?.stop();
  });

  it('lets the first host of a new server sign up without an invite', async () => {
    await page.goto(`${proofdrop.base}/signup`);
    await signUp(page, 'owner@shop.example');
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
  });

  it('makes a one-use invite link in the dashboard, with its expiry, and copies it', async () => {
    const panel = page.getByRole('region', { name: 'Invite a host' });
    await panel.getByText('New host accounts on this server need an invite link.').waitFor();
    await panel.getByRole('button', { name: 'Create invite link' }).click();
    await panel.getByText(/^Works once, until .+\. Copy it now: it is not shown again\.$/).waitFor();
    await panel.getByRole('button', { name: 'Copy link' }).click();
    await panel.getByText('Copied', { exact: true }).waitFor();
    inviteLink = await page.evaluate(() => navigator.clipboard.readText());
    expect(inviteLink).toMatch(new RegExp(`^${proofdrop.base}/signup\\?invite=pdi_\\S+$`));
    expect(await panel.locator('code').textContent()).toBe(inviteLink);
    await expectAccessibleAndNarrow(page, 'projects, invite link made');
  });

  it('says sign-up is by invitation, instead of a form, to someone without a link', async () => {
    const visitor = await signedOutPage();
    await visitor.page.goto(`${proofdrop.base}/signup`);
    await visitor.page.getByRole('heading', { level: 1, name: 'Sign-up is by invitation' }).waitFor();
    expect(await visitor.page.getByLabel('Email').count()).toBe(0);
    await expectAccessibleAndNarrow(visitor.page, 'sign up, invitation only');
    await visitor.page.getByRole('link', { name: 'Log in' }).last().click();
    await visitor.page.getByRole('heading', { name: 'Log in to your dashboard' }).waitFor();
    await visitor.context.close();
  });

  it('signs the invited person up with the link, once; a second use shows why it fails', async () => {
    const invited = await signedOutPage();
    await invited.page.goto(inviteLink);
    await invited.page.getByText('You were invited: this link creates one account.').waitFor();
    await expectAccessibleAndNarrow(invited.page, 'sign up, invited');
    await signUp(invited.page, 'friend@shop.example');
    await invited.page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    await invited.context.close();

    const again = await signedOutPage();
    await again.page.goto(inviteLink);
    await signUp(again.page, 'stranger@shop.example');
    // The server's own words.
    await again.page
      .getByRole('alert')
      .getByText('this invite link is unknown, already used or expired: ask for a new one')
      .waitFor();
    await again.context.close();
  });
});
