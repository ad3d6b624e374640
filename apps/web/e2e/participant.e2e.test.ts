import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchChromium, PHONE, seriousA11yViolations } from './support/browser.js';
import { expectAccessibleAndNarrow } from './support/checks.js';
import { publishedGiveaway, type Scenario, sendCallback } from './support/host-api.js';
import { type HostSite, startHostSite } from './support/host-site.js';
import { type Proofdrop, repoRoot, startProofdrop } from './support/proofdrop.js';

/**
 * The participant's journey, in Chromium against the built server: join → Go lands on the host's site with
 * track_id and send → the host's server sends signed callbacks → the page updates live → the host ends and
 * draws → the winners, and the proof checked in the browser.
 */
describe('participant journey', () => {
  let proofdrop: Proofdrop;
  let site: HostSite;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let scenario: Scenario;
  let trackId = '';
  let otherContext: BrowserContext;
  let otherPage: Page;

  const task = (name: string) => page.getByRole('listitem', { name });

  beforeAll(async () => {
    [proofdrop, site, browser] = await Promise.all([startProofdrop(), startHostSite(), launchChromium()]);
    scenario = await publishedGiveaway(proofdrop.base, site.url, 'host@shop.example');
    context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), proofdrop?.stop()]);
  });

  it('shows the giveaway with its prizes, dates and countdown, and a way to join', async () => {
    const errors: string[] = [];
    const collect = (message: ConsoleMessage) => message.type() === 'error' && errors.push(message.text());
    page.on('console', collect);
    await page.goto(`${proofdrop.base}/g/${scenario.slug}`);
    await page.getByRole('heading', { level: 1, name: 'Summer Bike Giveaway' }).waitFor();
    await page.getByRole('button', { name: 'Join' }).waitFor();
    // Not joined yet is an answer, not a failed request in the browser's console.
    page.off('console', collect);
    expect(errors).toEqual([]);
    expect(await page.title()).toBe('Summer Bike Giveaway');
    await page.getByText('City bike', { exact: true }).waitFor();
    // Three winners and two prizes: each prize goes to its rank, and the third winner gets none named.
    expect(await page.getByRole('region', { name: 'Prizes' }).getByRole('listitem').allInnerTexts()).toEqual([
      '1st: City bike — a 7-speed city bike in the colour you choose',
      '2nd: Free delivery for a year',
      '3rd: no named prize',
    ]);
    await page.getByText('Ends in').waitFor();
    await page.getByText(/^3 days, [45] hours$/).waitFor();
    await page.getByRole('button', { name: 'Join' }).waitFor();
    await expectAccessibleAndNarrow(page, 'participant page, before joining');
  });

  it('joins by email, then lists each task with its progress and says nothing has arrived yet', async () => {
    await page.getByLabel('Email').fill('fan@example');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByText('Enter your email address, like name@example.com.').waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Email').fill('fan@example.com');
    await page.getByRole('button', { name: 'Join' }).click();
    await task('Create an account').getByText('0 / 1').waitFor();
    await task('Play the quiz').getByText('0 / 3').waitFor();
    await task('Create an account')
      .getByText(/Nothing received from the host's site yet/)
      .waitFor();
    await page.getByText('● Live updates').waitFor();
    await expectAccessibleAndNarrow(page, 'participant page, joined');
  });

  it("Go opens the host's site in a new tab, with the participant's track_id and the event", async () => {
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      task('Create an account').getByRole('link', { name: /^Go/ }).click(),
    ]);
    await tab.waitForLoadState();
    const landed = new URL(tab.url());
    expect(`${landed.origin}${landed.pathname}`).toBe(`${new URL(site.url).origin}/welcome`);
    expect(landed.searchParams.get('ref')).toBe('giveaway');
    expect(landed.searchParams.get('send')).toBe('sign_up');
    trackId = landed.searchParams.get('track_id') ?? '';
    expect(trackId).not.toBe('');
    expect(site.visits.at(-1)?.searchParams.get('track_id')).toBe(trackId);
    await tab.close();
  });

  it("counts the host's signed callbacks live, without a reload, and says when the entry is eligible", async () => {
    await sendCallback(proofdrop.base, scenario.apiKey, { trackId, event: 'sign_up' });
    await task('Create an account').getByText('Done').waitFor();

    await sendCallback(proofdrop.base, scenario.apiKey, { trackId, event: 'play_quiz', remark: 'round-1' });
    await sendCallback(proofdrop.base, scenario.apiKey, { trackId, event: 'play_quiz', remark: 'round-2' });
    await task('Play the quiz').getByText('2 / 3').waitFor();
    await task('Play the quiz')
      .getByText(/2 counted, the last at/)
      .waitFor();
    expect(await page.getByText('You are eligible').count()).toBe(0);

    await sendCallback(proofdrop.base, scenario.apiKey, { trackId, event: 'play_quiz', remark: 'round-3' });
    await task('Play the quiz').getByText('Done').waitFor();
    await page.getByText('You are eligible.').waitFor();
    await expectAccessibleAndNarrow(page, 'participant page, eligible');
  });

  it('a second participant joins on a phone and leaves the tasks undone', async () => {
    otherContext = await browser.newContext({ viewport: PHONE });
    otherContext.setDefaultTimeout(10_000);
    otherPage = await otherContext.newPage();
    await otherPage.goto(`${proofdrop.base}/g/${scenario.slug}`);
    await otherPage.getByRole('button', { name: 'Join' }).waitFor();
    // By keyboard alone: Tab to the field, type, Tab to Join, Enter.
    for (let presses = 0; presses < 20; presses++) {
      await otherPage.keyboard.press('Tab');
      if (await otherPage.getByLabel('Email').evaluate((input) => input === document.activeElement)) break;
    }
    await otherPage.keyboard.type('late@example.com');
    await otherPage.keyboard.press('Tab');
    expect(
      await otherPage.getByRole('button', { name: 'Join' }).evaluate((b) => b === document.activeElement),
    ).toBe(true);
    await otherPage.keyboard.press('Enter');
    await otherPage.getByText('0 of 2 tasks done.').waitFor();
    // Which address this browser entered with, for a phone shared or a second address forgotten.
    await otherPage.getByText('Entered as late@example.com').waitFor();
    await otherPage.getByText('● Live updates').waitFor();
  });

  it('after the host ends and draws, an open page follows without a reload; one who comes back is remembered and sees that they won', async () => {
    // The phone left open since joining follows the host without a reload, and without asking: its entry's
    // stream brings the giveaway's phase, ended, then drawn.
    const giveawayReads: string[] = [];
    const giveawayPath = `/api/v1/giveaways/${scenario.slug}`;
    otherPage.on('request', (request) => {
      if (new URL(request.url()).pathname === giveawayPath) giveawayReads.push(request.url());
    });
    await scenario.host.call('POST', `/api/v1/giveaways/${scenario.giveawayId}/end`);
    await otherPage.getByText('The giveaway has ended. The winners will be drawn soon').waitFor();
    expect(await otherPage.getByRole('link', { name: /^Go/ }).count()).toBe(0);
    await page.reload();
    await page.getByText('The giveaway has ended. The winners will be drawn soon').waitFor();
    await page.getByText('Every task was done: you are in the draw.').waitFor();
    expect(await task('Play the quiz').getByRole('link', { name: /^Go/ }).count()).toBe(0);

    await scenario.host.call('POST', `/api/v1/giveaways/${scenario.giveawayId}/draw`);
    await otherPage.getByRole('heading', { name: 'Winners' }).waitFor();
    expect(await otherPage.getByText('The winners will be drawn soon').count()).toBe(0);
    expect(giveawayReads).toEqual([]);
    await page.reload();
    await page.getByRole('heading', { name: 'Winners' }).waitFor();
    await page.getByText('You won!').waitFor();
    // The only eligible entry is winner #1, and wins the first prize; the public list names it too.
    await page.getByText(/^You won! You are winner #1, and your prize is City bike\./).waitFor();
    await page
      .getByRole('region', { name: 'Winners' })
      .getByRole('listitem')
      .getByText('City bike', { exact: true })
      .waitFor();
    // Fewer entries were eligible than there were places: the page says why the list is short.
    await page
      .getByText(/3 winners were to be drawn, but only \d+ (entry was|entries were) eligible/)
      .waitFor();
    await page.getByText('Every task was done: your entry was in the draw.').waitFor();
    await task('Play the quiz').getByText('Done').waitFor();
    expect(await page.getByRole('button', { name: 'Join' }).count()).toBe(0);
    await expectAccessibleAndNarrow(page, 'participant page, drawn');
  });

  it('the proof page recomputes the draw in the browser and says Valid, and finds the entry in the frozen list', async () => {
    await page.getByRole('link', { name: 'Check the draw yourself' }).click();
    await page.getByRole('heading', { level: 1, name: 'Proof of the draw' }).waitFor();
    expect(await page.title()).toBe('Proof of the draw: Summer Bike Giveaway');
    await page.getByText('Valid.').waitFor();
    expect(await page.getByText('(failed)').count()).toBe(0);

    const entryId = await page.getByLabel('Entry id').inputValue();
    expect(entryId).toMatch(/^pt_/);
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText('In the list.').waitFor();

    await page.getByLabel('Entry id').fill('pt_notAnEntry0000');
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText('Not in the list.').waitFor();
    await expectAccessibleAndNarrow(page, 'proof page');
  });

  it('the proof page gives the terminal command, and that command, run, says VALID', async () => {
    const command = await page
      .getByRole('region', { name: 'Check it from a terminal' })
      .locator('pre')
      .textContent();
    expect(command).toBe(`npm run verify-draw -- ${proofdrop.base}/api/v1/giveaways/${scenario.slug}/draw`);
    // Run as given, in the repository, as the page tells a person to.
    const [npm, ...args] = (command ?? '').split(' ');
    const { stdout } = await promisify(execFile)(npm as string, args, { cwd: repoRoot });
    expect(stdout.split('\n')).toContain('VALID');
  });

  it('names the failing step when a proof does not hold: the page recomputes, it does not take the server on trust', async () => {
    const tampered = await context.newPage();
    await tampered.route(`**/api/v1/giveaways/${scenario.slug}/draw`, async (route) => {
      const proof = await (await route.fetch()).json();
      await route.fulfill({
        json: { ...proof, seed: proof.seed.replace(/^./, (c: string) => (c === '0' ? '1' : '0')) },
      });
    });
    await tampered.goto(`${proofdrop.base}/g/${scenario.slug}/proof`);
    await tampered.getByText('Not valid: the commitment step fails.').waitFor();
    expect(await tampered.getByText('Valid.', { exact: true }).count()).toBe(0);
    await tampered.close();
  });

  it('the participant who did not finish is told they were not in the draw, not that they lost it, and newcomers that it is closed', async () => {
    await otherPage.reload();
    await otherPage.getByText('Not eligible.').waitFor();
    await otherPage.getByText('so this entry was not in the draw.').waitFor();
    // Not "not drawn": an entry that was not in the draw could not be.
    expect(await otherPage.getByText('Not this time.').count()).toBe(0);
    expect(
      await otherPage.getByText("Nothing was received from the host's site before the end.").count(),
    ).toBeGreaterThan(0);
    await otherContext.close();

    const newcomer = await browser.newPage();
    await newcomer.goto(`${proofdrop.base}/g/${scenario.slug}`);
    await newcomer.getByText('This giveaway has ended: joining is closed.').waitFor();
    await newcomer.close();
  });

  it('an unknown address says there is no giveaway there, with a 404', async () => {
    const visitor = await browser.newPage();
    const response = await visitor.goto(`${proofdrop.base}/g/no-such-giveaway`);
    expect(response?.status()).toBe(404);
    await visitor.getByText('There is no giveaway at this address').waitFor();
    expect(await seriousA11yViolations(visitor, 'unknown giveaway')).toEqual([]);
    await visitor.close();
  });

  it("warns inside a social app's built-in browser", async () => {
    const inApp = await browser.newContext({
      viewport: PHONE,
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 300.0.0.0',
    });
    const visitor = await inApp.newPage();
    await visitor.goto(`${proofdrop.base}/g/${scenario.slug}`);
    await visitor.getByText("You are in Instagram's built-in browser.").waitFor();
    await visitor.getByRole('button', { name: 'Copy link' }).waitFor();
    await inApp.close();
  });

  it('a giveaway that has not started says when it starts, and that joining opens then', async () => {
    const later = await publishedGiveaway(proofdrop.base, site.url, 'early@shop.example', {
      startsAt: new Date(Date.now() + 2 * 86_400_000 + 3_600_000 + 120_000),
    });
    const visitor = await browser.newPage();
    await visitor.goto(`${proofdrop.base}/g/${later.slug}`);
    await visitor.getByText('Not started yet').waitFor();
    await visitor.getByText('Starts in').waitFor();
    await visitor.getByText(/^2 days, 1 hour$/).waitFor();
    await visitor.getByText('Joining opens when the giveaway starts.').waitFor();
    expect(await visitor.getByRole('button', { name: 'Join' }).count()).toBe(0);
    expect(await seriousA11yViolations(visitor, 'scheduled giveaway')).toEqual([]);
    await visitor.close();
  });
});
