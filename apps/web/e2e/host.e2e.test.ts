import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { signCallback } from '@proofdrop/protocol';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchChromium } from './support/browser.js';
import { expectAccessibleAndNarrow } from './support/checks.js';
import { sendCallback } from './support/host-api.js';
import { type HostSite, startHostSite } from './support/host-site.js';
import { type Proofdrop, startProofdrop } from './support/proofdrop.js';

/**
 * The host's journey, in Chromium against the built server: sign up → project → website → giveaway with a
 * preset task and a custom task of amount 3 → publish → Check API callback shows a signed test callback as
 * verified and a key/message-swapped one with its hint, live.
 */
describe('host journey', () => {
  let proofdrop: Proofdrop;
  let site: HostSite;
  let browser: Browser;
  let page: Page;
  let projectUrl = '';
  let apiKey = '';

  beforeAll(async () => {
    [proofdrop, site, browser] = await Promise.all([startProofdrop(), startHostSite(), launchChromium()]);
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(10_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: proofdrop.base });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), proofdrop?.stop()]);
  });

  it('sends a signed-out visitor to Log in, and signs up from there', async () => {
    const errors: string[] = [];
    const collect = (message: ConsoleMessage) => message.type() === 'error' && errors.push(message.text());
    page.on('console', collect);
    await page.goto(`${proofdrop.base}/projects`);
    await page.getByRole('heading', { name: 'Log in to your dashboard' }).waitFor();
    // Nobody signed in is an answer, not a failed request in the browser's console.
    page.off('console', collect);
    expect(errors).toEqual([]);
    await page.getByRole('link', { name: 'Sign up' }).last().click();
    await page.getByLabel('Email').fill('host@shop.example');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    // The server's own message, shown as it is.
    await page
      .getByRole('alert')
      .getByText(/password/i)
      .waitFor();
    await expectAccessibleAndNarrow(page, 'sign up, refused');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    await page.getByText('No projects yet').waitFor();
    await expectAccessibleAndNarrow(page, 'projects, empty');
  });

  it('creates a project and shows its key masked until Reveal, with Copy', async () => {
    await page.getByLabel('Project name').fill('Example Shop');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { level: 1, name: 'Example Shop' }).waitFor();
    projectUrl = page.url();
    const key = page.locator('code.key');
    expect(await key.textContent()).toMatch(/^•+[A-Za-z0-9]{4}$/);
    await page.getByRole('button', { name: 'Reveal', exact: true }).click();
    apiKey = (await key.textContent()) ?? '';
    expect(apiKey).toMatch(/^[A-Za-z0-9]{64}$/);
    await page.getByRole('button', { name: 'Hide' }).click();
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByText('Copied', { exact: true }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(apiKey);
    await page.getByRole('button', { name: 'Rotate' }).waitFor();
    await expectAccessibleAndNarrow(page, 'project, new');
  });

  it('adds a website, and shows the API error when the link is not one', async () => {
    const form = page.getByRole('form', { name: 'Add a website' });
    await form.getByLabel('Website name').fill('Example Shop');
    await form.getByLabel('Website URL').fill('ftp://shop.example');
    await form.getByRole('button', { name: 'Add website' }).click();
    await form.getByRole('alert').getByText('url must use http or https, not ftp').waitFor();
    // And under the field itself, by its label.
    await form.getByText('Website URL must use http or https, not ftp', { exact: true }).waitFor();
    expect(await form.getByLabel('Website URL').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Website URL').fill(site.url);
    await form.getByRole('button', { name: 'Add website' }).click();
    await page.getByRole('link', { name: site.url }).waitFor();
  });

  it('creates a giveaway with a preset task and a custom task of amount 3, and publishes it', async () => {
    await page.getByRole('link', { name: 'New giveaway' }).click();
    // Sent empty, each field says beside it what is wrong with it, and the form keeps its summary.
    await page.getByRole('button', { name: 'Create giveaway' }).click();
    const title = page.getByLabel('Title');
    const titleError = page.getByText('Title is required', { exact: true });
    await titleError.waitFor();
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    expect(await title.getAttribute('aria-describedby')).toBe(await titleError.getAttribute('id'));
    // The eye is taken to the first field named, which on a phone is far above the button.
    expect(await title.evaluate((input) => input === document.activeElement)).toBe(true);
    const unnamed = page.getByRole('group', { name: 'Task 1' }).getByLabel('Task name');
    expect(await unnamed.getAttribute('aria-invalid')).toBe('true');
    // The summary under the form names every problem in the form's own words, not the body's field names.
    const summary = page.getByRole('alert').filter({ hasText: '2 things to change:' });
    await summary.getByRole('listitem').filter({ hasText: 'Title is required.' }).waitFor();
    await summary.getByRole('listitem').filter({ hasText: 'Task 1: Task name is required.' }).waitFor();
    await page.getByLabel('Title').fill('Summer Bike Giveaway');
    await page.getByLabel('Description').fill('Win a city bike.');
    const first = page.getByRole('group', { name: 'Task 1' });
    expect(await first.getByLabel('Event').inputValue()).toBe('sign_up');
    await first.getByLabel('Task name').fill('Create an account');
    await page.getByRole('button', { name: 'Add task' }).click();
    const second = page.getByRole('group', { name: 'Task 2' });
    await second.getByLabel('Event').fill('like_article');
    await second.getByLabel('Task name').fill('Like 3 articles');
    await second.getByLabel('Required amount').fill('3');
    await page.getByRole('button', { name: 'Add prize' }).click();
    await page.getByLabel('Prize 1', { exact: true }).fill('City bike');
    await page.getByLabel('Prize 1: details (optional)').fill('7 speeds, in the colour you choose');
    // Leaving the filled form asks first, and staying keeps what was typed.
    const asked = new Promise<string>((resolve) =>
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.dismiss();
      }),
    );
    await page.getByRole('link', { name: '← Example Shop' }).click();
    expect(await asked).toBe('Leave this page? What you changed here is not saved.');
    expect(await page.getByLabel('Title').inputValue()).toBe('Summer Bike Giveaway');
    // Log out ends the session before any navigation: it asks first too, and staying keeps both.
    const askedAtLogOut = new Promise<string>((resolve) =>
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.dismiss();
      }),
    );
    await page.getByRole('button', { name: 'Log out' }).click();
    expect(await askedAtLogOut).toBe('Leave this page? What you changed here is not saved.');
    expect(await page.getByLabel('Title').inputValue()).toBe('Summer Bike Giveaway');
    expect(new URL(page.url()).pathname).toMatch(/\/giveaways\/new$/);
    await expectAccessibleAndNarrow(page, 'giveaway editor');
    await page.getByRole('button', { name: 'Create giveaway' }).click();

    await page.getByRole('heading', { level: 1, name: 'Summer Bike Giveaway' }).waitFor();
    await page.getByText('✎ Draft', { exact: true }).waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Like 3 articles' }).getByText('× 3').waitFor();
    await page.getByText('7 speeds, in the colour you choose').waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('button', { name: 'Yes, publish' }).click();
    await page.getByText('● Live', { exact: true }).waitFor();
    await page.getByText('Nobody has joined yet').waitFor();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByText(/You can still change the title, the description, a later end/).waitFor();
    expect(await page.getByRole('group', { name: 'Task 2' }).getByLabel('Required amount').isDisabled()).toBe(
      true,
    );
    await page.goBack();
    await page.getByRole('button', { name: 'End' }).waitFor();
    await expectAccessibleAndNarrow(page, 'giveaway, live');
  });

  it('Check API callback shows a signed test callback as verified and a swapped one with its hint, live', async () => {
    await page.goto(projectUrl);
    await page.getByRole('link', { name: 'Open the Check API callback console' }).click();
    await page.getByText('No callbacks yet').waitFor();
    await page.getByText('● Live').waitFor();
    await page.getByRole('button', { name: 'Check API callback' }).click();
    const trackId =
      (await page.locator('dl[aria-label="Test track_id"] dd code').first().textContent()) ?? '';
    expect(trackId.length).toBeGreaterThan(20);
    const link = await page.getByRole('link', { name: /track_id=/ }).getAttribute('href');
    expect(link).toBe(`${site.url}&track_id=${trackId}&send=sign_up`);

    expect((await sendCallback(proofdrop.base, apiKey, { trackId, event: 'sign_up' })).code).toBe('verified');
    const verified = page.getByRole('listitem').filter({ hasText: 'Verified (test)' });
    await verified.waitFor();

    const canonical = `track_id=${trackId}&event=sign_up`;
    const swapped = await fetch(`${proofdrop.base}/api/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        track_id: trackId,
        event: 'sign_up',
        sign: createHmac('sha256', canonical).update(apiKey).digest('hex'),
      }),
    });
    expect(swapped.status).toBe(401);
    const refused = page.getByRole('listitem').filter({ hasText: 'Bad signature' });
    await refused.getByText(/the key and the message are swapped/).waitFor();
    // Without a remark, both accepted forms are expected, one a line.
    expect((await refused.locator('pre').textContent())?.split('\n')).toEqual([
      canonical,
      `${canonical}&remark=`,
    ]);
    // Newest first.
    const items = page.getByRole('list', { name: 'Callbacks, newest first' }).getByRole('listitem');
    expect(await items.first().textContent()).toContain('Bad signature');
    await page.getByRole('button', { name: 'Copy Node.js (@proofdrop/sdk)' }).waitFor();
    await page.getByText('Browser (crypto-js) — last resort', { exact: true }).click();
    await page.getByText(/Signing in the page puts your API key/).waitFor();

    // A test's own callbacks, then the refused ones among them; the filter lives in the address.
    await page.getByRole('button', { name: "Show only this test's callbacks" }).click();
    await page.waitForURL((url) => url.searchParams.get('trackId') === trackId);
    // The address changes first; the form follows on the next render.
    await expect.poll(() => page.getByLabel('track_id', { exact: true }).inputValue()).toBe(trackId);
    await expect.poll(() => items.count()).toBe(2);
    await page.getByLabel('Show').selectOption({ label: 'Refused' });
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().textContent()).toContain('Bad signature');
    await page.getByLabel('track_id', { exact: true }).fill('has space');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByText('A track_id is 1–128 characters, with no spaces, & or =').waitFor();
    await page.getByLabel('track_id', { exact: true }).fill('nobody-sent-this');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByText('No callback matches').waitFor();
    await expectAccessibleAndNarrow(page, 'Check API callback console, filtered');
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => items.count()).toBe(2);
    expect(new URL(page.url()).search).toBe('');

    // Sent again from a terminal, exactly as the console writes it, it arrives as a new callback.
    await verified.getByRole('button', { name: 'Send it again with curl' }).click();
    const command = (await verified.locator('pre').textContent()) ?? '';
    expect(command).toMatch(/^curl -sS -X POST /);
    const answer = JSON.parse(execFileSync('sh', ['-c', command], { encoding: 'utf8' }));
    expect(answer).toMatchObject({ ok: true, code: 'verified' });
    await expect.poll(() => items.count()).toBe(3);
    await expectAccessibleAndNarrow(page, 'Check API callback console');
  });

  it('warns on the project page once a callback signed with the key comes from a web page', async () => {
    await page.goto(projectUrl);
    await page.getByRole('heading', { name: 'API key' }).waitFor();
    const warning = page.getByRole('note', { name: 'API key in a web page' });
    expect(await warning.count()).toBe(0);
    await page.getByRole('link', { name: 'Open the Check API callback console' }).click();
    await page.getByRole('button', { name: 'Check API callback' }).click();
    const trackId =
      (await page.locator('dl[aria-label="Test track_id"] dd code').first().textContent()) ?? '';

    // The host's own page signs and posts it, as the crypto-js snippet does: the browser adds Origin.
    const fields = { trackId, event: 'sign_up' };
    const body = JSON.stringify({ track_id: trackId, event: 'sign_up', sign: signCallback(apiKey, fields) });
    await page.goto(site.url);
    const answer = await page.evaluate(
      async ({ url, body }) =>
        (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json(),
      { url: `${proofdrop.base}/api/callback`, body },
    );
    expect(answer).toMatchObject({ ok: true, code: 'verified' });

    await page.goto(projectUrl);
    await warning.getByText('Your API key may be in a web page.').waitFor();
    await warning.getByText(new URL(site.url).origin, { exact: true }).waitFor();
    await expectAccessibleAndNarrow(page, 'project, key in a web page');
  });

  it('refuses, with the reason, to delete a project whose giveaway runs; by keyboard alone', async () => {
    await page.goto(projectUrl);
    await page.getByRole('button', { name: 'Delete project' }).focus();
    await page.keyboard.press('Enter');
    // Focus moves to the answer, so the keyboard user is not thrown back to the top of the page.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, delete the project');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('the giveaway "Summer Bike Giveaway" is live').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Example Shop' }).waitFor();
  });

  it('logs out, and the dashboard asks to log in again', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to your dashboard' }).waitFor();
    await page.goto(projectUrl);
    await page.getByRole('heading', { name: 'Log in to your dashboard' }).waitFor();
    await page.getByLabel('Email').fill('host@shop.example');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Example Shop' }).waitFor();
  });

  it('takes the host to Log in when the session ends under an open page, and back to it after', async () => {
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.context().clearCookies();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Log in to your dashboard' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe(new URL(projectUrl).pathname);
    await page.getByLabel('Email').fill('host@shop.example');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Example Shop' }).waitFor();
  });

  it('changes the password on the Account page, and signs out everywhere', async () => {
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
    await page.getByLabel('Current password').fill('not the password');
    await page.getByLabel('New password').fill('a new horse battery staple');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Current password').fill('correct horse battery staple');
    await page.getByLabel('New password').fill('a new horse battery staple');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();
    await expectAccessibleAndNarrow(page, 'account');

    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
    await page.getByRole('heading', { name: 'Log in to your dashboard' }).waitFor();
    await page.getByLabel('Email').fill('host@shop.example');
    await page.getByLabel('Password').fill('a new horse battery staple');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
  });
});
