import type { Giveaway, Project } from '@proofdrop/contract';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchChromium, PHONE, seriousA11yViolations } from './support/browser.js';
import { publishedGiveaway, type Scenario } from './support/host-api.js';
import { type HostSite, startHostSite } from './support/host-site.js';
import { type Mailbox, mailedLink, startMailbox } from './support/mailbox.js';
import { type Proofdrop, startProofdrop } from './support/proofdrop.js';

/**
 * Fair entries on the participant page, in Chromium against the built server: a proof-of-work challenge
 * solved in the browser before joining, and an email proven through a link mailed over real SMTP.
 */
describe('fair entries on the participant page', () => {
  let mailbox: Mailbox;
  let proofdrop: Proofdrop;
  let site: HostSite;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pow: Scenario;
  let verified: Scenario;
  let plain: Scenario;
  let usedLink = '';

  beforeAll(async () => {
    mailbox = await startMailbox();
    [proofdrop, site, browser] = await Promise.all([
      startProofdrop({ SMTP_URL: mailbox.url, MAIL_FROM: 'drops@proofdrop.example' }),
      startHostSite(),
      launchChromium(),
    ]);
    pow = await publishedGiveaway(proofdrop.base, site.url, 'pow-host@shop.example', {
      settings: { entryChallenge: 'pow' },
    });
    verified = await publishedGiveaway(proofdrop.base, site.url, 'mail-host@shop.example', {
      settings: { requireVerifiedEmail: true },
    });
    plain = await publishedGiveaway(proofdrop.base, site.url, 'plain-host@shop.example');
    context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), proofdrop?.stop(), mailbox?.close()]);
  });

  it('solves the bot check in the browser, then joins with it', async () => {
    await page.goto(`${proofdrop.base}/g/${pow.slug}`);
    await page.getByText('✓ Bot check done: you can join.').waitFor();
    expect(await page.getByRole('button', { name: 'Join' }).isEnabled()).toBe(true);
    expect(await seriousA11yViolations(page, 'pow giveaway, solved')).toEqual([]);

    await page.getByLabel('Email', { exact: true }).fill('human@example.com');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('listitem', { name: 'Create an account' }).getByText('0 / 1').waitFor();
  });

  it('takes Join pressed while the bot check runs, and joins once it is done', async () => {
    // A browser of its own: this one's cookie already holds an entry of the giveaway.
    const early = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    // The check's challenge is held until Join is pressed: one solved in a few tries would otherwise be done
    // before the test could press it (a random number decides how many tries a challenge takes).
    let release = () => {};
    const pressed = new Promise<void>((resolve) => {
      release = resolve;
    });
    await early.route('**/challenge', async (route) => {
      await pressed;
      await route.continue();
    });
    await early.goto(`${proofdrop.base}/g/${pow.slug}`);
    await early.getByText('Checking you are not a bot…').waitFor();
    await early.getByLabel('Email', { exact: true }).fill('early@example.com');
    await early.getByLabel('Email', { exact: true }).press('Enter');
    release();
    await early.getByRole('listitem', { name: 'Create an account' }).getByText('0 / 1').waitFor();
    await early.context().close();
  });

  it('joins, asks to confirm the email, and the mailed link proves it', async () => {
    await page.goto(`${proofdrop.base}/g/${verified.slug}`);
    await page.getByRole('button', { name: 'Send me my link' }).waitFor();
    await page.getByLabel('Email', { exact: true }).fill('owner@example.com');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByText('Confirm your email to be eligible.').waitFor();
    expect(await seriousA11yViolations(page, 'verified giveaway, unconfirmed entry')).toEqual([]);

    const link = mailedLink(await mailbox.next('owner@example.com'));
    usedLink = link;
    const linkPage = await context.newPage();
    await linkPage.goto(link);
    await linkPage.getByText('✓ Your email is confirmed.').waitFor();
    await linkPage.getByRole('listitem', { name: 'Create an account' }).waitFor();
    expect(await linkPage.getByText('Confirm your email to be eligible.').count()).toBe(0);
    expect(new URL(linkPage.url()).hash).toBe('');
    expect(await seriousA11yViolations(linkPage, 'verified giveaway, confirmed')).toEqual([]);
    await linkPage.close();
  });

  it('offers another browser a link by email; a used link says why it no longer works', async () => {
    const other = await browser.newContext({ viewport: DESKTOP });
    const otherPage = await other.newPage();
    await otherPage.goto(`${proofdrop.base}/g/${verified.slug}`);
    // The answer is the same whether the address entered or not, so it tells nobody who did.
    await otherPage.getByLabel('Email you entered with').fill('someone-else@example.com');
    await otherPage.getByRole('button', { name: 'Send me my link' }).click();
    await otherPage.getByText('Check your email.').waitFor();
    expect(await seriousA11yViolations(otherPage, 'send me my link, sent')).toEqual([]);

    await otherPage.goto(usedLink);
    await otherPage.getByText('This link cannot be used.').waitFor();
    await otherPage.getByRole('button', { name: 'Join' }).waitFor();
    await other.close();
  });

  it('takes an entry of a giveaway that verifies no emails to another browser by a mailed link', async () => {
    const phone = await (await browser.newContext({ viewport: PHONE })).newPage();
    await phone.goto(`${proofdrop.base}/g/${plain.slug}`);
    await phone.getByLabel('Email', { exact: true }).fill('two-devices@example.com');
    await phone.getByRole('button', { name: 'Join' }).click();
    await phone.getByRole('listitem', { name: 'Create an account' }).getByText('0 / 1').waitFor();

    const laptop = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await laptop.goto(`${proofdrop.base}/g/${plain.slug}`);
    await laptop.getByLabel('Email', { exact: true }).fill('two-devices@example.com');
    await laptop.getByRole('button', { name: 'Join' }).click();
    await laptop.getByText('this email has already entered this giveaway').waitFor();
    await laptop.getByRole('button', { name: 'Email me a link to my entry' }).click();
    await laptop.getByText('Open the link we sent to two-devices@example.com').waitFor();
    expect(await seriousA11yViolations(laptop, 'already entered, link sent')).toEqual([]);

    const mail = await mailbox.next('two-devices@example.com');
    expect(mail.subject).toMatch(/^Your link to/);
    await laptop.goto(mailedLink(mail));
    await laptop.getByText('✓ You are signed in to your entry.').waitFor();
    await laptop.getByRole('listitem', { name: 'Create an account' }).getByText('0 / 1').waitFor();
    // The phone keeps following the entry: it never waited for the address to be proven.
    await phone.reload();
    await phone.getByRole('listitem', { name: 'Create an account' }).getByText('0 / 1').waitFor();
    await Promise.all([phone.context().close(), laptop.context().close()]);
  });

  it("shows the host the entries' signals, proposes bot protection and switches the signature version", async () => {
    const host = await browser.newContext({ viewport: DESKTOP });
    const hostPage = await host.newPage();
    await hostPage.goto(`${proofdrop.base}/login`);
    await hostPage.getByLabel('Email').fill('mail-host@shop.example');
    await hostPage.getByLabel('Password').fill('correct horse battery staple');
    await hostPage.getByRole('button', { name: 'Log in' }).click();
    await hostPage.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();

    await hostPage.goto(`${proofdrop.base}/giveaways/${verified.giveawayId}`);
    const owner = hostPage.getByRole('row', { name: /owner@example\.com/ });
    await owner.getByText('✓ Email verified').waitFor();
    expect(await seriousA11yViolations(hostPage, 'giveaway page, signals')).toEqual([]);

    const { projectId } = await verified.host.call<Giveaway>(
      'GET',
      `/api/v1/giveaways/${verified.giveawayId}`,
    );
    await hostPage.goto(`${proofdrop.base}/projects/${projectId}/giveaways/new`);
    expect(await hostPage.getByLabel('Bot protection').inputValue()).toBe('pow');
    expect(await hostPage.getByRole('checkbox', { name: 'Require a verified email' }).isChecked()).toBe(
      false,
    );
    expect(await seriousA11yViolations(hostPage, 'giveaway editor, fair entries')).toEqual([]);

    await hostPage.goto(`${proofdrop.base}/projects/${projectId}`);
    await hostPage.getByLabel('Signature version').selectOption('v2');
    // The page saves on change; the API is what the callbacks will be checked against.
    let version = '';
    for (let attempt = 0; attempt < 200 && version !== 'v2'; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      version = (await verified.host.call<Project>('GET', `/api/v1/projects/${projectId}`)).signatureVersion;
    }
    expect(version).toBe('v2');
    await host.close();
  });
});
