import type { DrawProof, Entry, Giveaway, Visit } from '@proofdrop/contract';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATE_TIME_PARTS } from '../src/lib/date-time.js';
import { DESKTOP, launchChromium, PHONE, scrollWidth } from './support/browser.js';
import { expectAccessibleAndNarrow } from './support/checks.js';
import { publishedGiveaway, type Scenario, sendCallback } from './support/host-api.js';
import { type HostSite, startHostSite } from './support/host-site.js';
import { type Proofdrop, startProofdrop } from './support/proofdrop.js';

const HOST = { email: 'runner@shop.example', password: 'correct horse battery staple' };
/** Characters a system shows as a colour emoji, or as an empty box when it has no emoji font. */
const EMOJI = /\p{Emoji_Presentation}/u;

/**
 * A host running a published giveaway from the dashboard, with one participant who did every task: the
 * giveaway's page from live to drawn, on a desktop and on a phone.
 */
describe('host running a giveaway', () => {
  let proofdrop: Proofdrop;
  let site: HostSite;
  let browser: Browser;
  let page: Page;
  let scenario: Scenario;

  /** A participant who joins through the API and whose every task the host's site then reports done. */
  async function eligibleParticipant(email: string): Promise<void> {
    const response = await fetch(`${proofdrop.base}/api/v1/giveaways/${scenario.slug}/entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    expect(response.status).toBe(201);
    const { token } = (await response.json()) as Entry;
    for (const task of scenario.tasks) {
      const visit = await fetch(`${proofdrop.base}/api/v1/tasks/${task.id}/visits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      const { trackId } = (await visit.json()) as Visit;
      for (let round = 1; round <= task.requiredAmount; round++) {
        await sendCallback(proofdrop.base, scenario.apiKey, {
          trackId,
          event: task.event,
          remark: `round-${round}`,
        });
      }
    }
  }

  beforeAll(async () => {
    [proofdrop, site, browser] = await Promise.all([startProofdrop(), startHostSite(), launchChromium()]);
    scenario = await publishedGiveaway(proofdrop.base, site.url, HOST.email, {
      settings: { winnerCount: 1 },
    });
    await eligibleParticipant('fan@example.com');
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    await page.goto(`${proofdrop.base}/login?next=/giveaways/${scenario.giveawayId}`);
    await page.getByLabel('Email').fill(HOST.email);
    await page.getByLabel('Password').fill(HOST.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Summer Bike Giveaway' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), proofdrop?.stop()]);
  });

  it('says a giveaway without a start time started when it was published, at that time', async () => {
    const { publishedAt } = await scenario.host.call<Giveaway>(
      'GET',
      `/api/v1/giveaways/${scenario.giveawayId}`,
    );
    expect(publishedAt).not.toBeNull();
    // As the page writes it: in the browser's own words, with its time zone.
    const shown = await page.evaluate(
      ([iso, parts]) => new Intl.DateTimeFormat(undefined, parts).format(new Date(iso)),
      [publishedAt ?? '', DATE_TIME_PARTS] as const,
    );
    const details = page.getByRole('region', { name: 'Details' });
    await details.getByRole('definition').filter({ hasText: shown }).waitFor();
    expect(await details.getByText('When published').count()).toBe(0);
  });

  it('lists the projects with their name and creation date apart, not run together', async () => {
    await page.goto(`${proofdrop.base}/projects`);
    const project = page.getByRole('listitem').filter({ hasText: 'Example Shop' });
    const name = await project.getByRole('link', { name: 'Example Shop' }).boundingBox();
    const created = await project.getByText(/^created /).boundingBox();
    expect(name && created && created.x - (name.x + name.width)).toBeGreaterThanOrEqual(8);
  });

  it("shows the console's code snippets line for line, scrolling sideways rather than wrapping", async () => {
    const { projectId } = await scenario.host.call<Giveaway>(
      'GET',
      `/api/v1/giveaways/${scenario.giveawayId}`,
    );
    await page.goto(`${proofdrop.base}/projects/${projectId}/callbacks`);
    await page.getByText('Python (server)', { exact: true }).click();
    const python = page.locator('details', { hasText: 'Python (server)' }).locator('pre').last();
    await python.waitFor();
    const shape = await python.evaluate((pre) => {
      const style = getComputedStyle(pre);
      const content = pre.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      return {
        written: (pre.textContent ?? '').replace(/\n$/, '').split('\n').length,
        shown: Math.round(content / parseFloat(style.lineHeight)),
        scrolls: pre.scrollWidth > pre.clientWidth,
      };
    });
    expect(shape.shown).toBe(shape.written);
    expect(shape.scrolls).toBe(true);
    await expectAccessibleAndNarrow(page, 'callback console, Python open');
  });

  it('a project or giveaway that is not there says so, without a Try again that cannot help', async () => {
    for (const [path, message] of [
      ['/projects/prj_noSuchProject0', 'project not found'],
      ['/giveaways/gw_noSuchGiveaway0', 'giveaway not found'],
    ] as const) {
      await page.goto(`${proofdrop.base}${path}`);
      await page.getByRole('alert').getByText(message).waitFor();
      expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
      // A page still: its heading, why that may be (another host's ids answer alike), and a way back.
      await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
      await page.getByText('It may have been deleted, or belong to another account.').waitFor();
      await expectAccessibleAndNarrow(page, `not found: ${path}`);
      expect(await page.getByRole('link', { name: '← Projects' }).getAttribute('href')).toBe('/projects');
    }
    await page.goto(`${proofdrop.base}/giveaways/${scenario.giveawayId}`);
    await page.getByRole('heading', { level: 1, name: 'Summer Bike Giveaway' }).waitFor();
  });

  it('says "1 winner", in the singular', async () => {
    const entries = page.getByRole('region', { name: 'Entries' });
    await entries.getByText('1 winner, drawn at random').waitFor();
    expect(await entries.getByText(/winners/).count()).toBe(0);
  });

  it('on a phone, the participants table scrolls sideways in its box rather than breaking words', async () => {
    await page.setViewportSize(PHONE);
    const table = page.getByRole('region', { name: 'Participants table' });
    const email = table.getByRole('rowheader', { name: 'fan@example.com' });
    await email.waitFor();
    /** How many lines a cell's text takes. */
    const lines = (cell: Locator) =>
      cell.evaluate((element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size;
      });
    expect(await lines(email.getByText('fan@example.com', { exact: true }))).toBe(1);
    expect(await lines(table.getByRole('columnheader', { name: 'Status' }))).toBe(1);
    expect(await lines(table.getByRole('cell', { name: '✓ 3 / 3' }))).toBe(1);
    expect(await table.evaluate((box) => box.scrollWidth > box.clientWidth)).toBe(true);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);
    await expectAccessibleAndNarrow(page, 'host giveaway page, live, with an entry');
  });

  it("opens an entry's callbacks from its row: the log filtered by that participant's email", async () => {
    const giveawayUrl = page.url();
    await page.getByRole('link', { name: 'Callbacks of fan@example.com' }).click();
    await page.getByLabel('Participant email').waitFor();
    expect(await page.getByLabel('Participant email').inputValue()).toBe('fan@example.com');
    const log = page.getByRole('list', { name: 'Callbacks, newest first' });
    await log.getByRole('listitem').first().waitFor();
    expect(await log.getByRole('listitem').count()).toBeGreaterThan(0);
    // Another address has no callbacks in this project.
    await page.getByLabel('Participant email').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No callback matches').waitFor();
    await page.goto(giveawayUrl);
    await page.getByRole('region', { name: 'Participants table' }).waitFor();
  });

  it('ends and draws only once the host says yes, as neither can be undone', async () => {
    await page.getByRole('button', { name: 'End', exact: true }).click();
    await page.getByRole('button', { name: 'Yes, end it' }).click();
    await page.getByText('■ Ended, not drawn', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Draw winners' }).click();
    await page.getByText('Draw the winners now? The draw is final').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Draw winners' }).waitFor();
    expect(await page.getByText('■ Ended, not drawn', { exact: true }).count()).toBe(1);

    await page.getByRole('button', { name: 'Draw winners' }).click();
    await page.getByRole('button', { name: 'Yes, draw the winners' }).click();
    await page.getByText('✓ Drawn', { exact: true }).waitFor();
  });

  it('marks the winner with a drawn trophy and words, no emoji that a system without an emoji font shows as a box', async () => {
    const winners = page.getByRole('region', { name: 'Winners' });
    const badge = winners.getByText('Winner', { exact: true });
    await badge.waitFor();
    expect(await badge.locator('svg').count()).toBe(1);
    const row = page.getByRole('row', { name: /fan@example\.com/ });
    await row.getByText('Winner #1').waitFor();
    expect(await row.locator('svg').count()).toBe(1);
    expect(await page.locator('body').innerText()).not.toMatch(EMOJI);
    // One winner and two prizes: the winner's is the first, and the details say nobody gets the second.
    await winners.getByText('Prize: City bike').waitFor();
    await page.getByText('Free delivery for a year: nobody, with 1 winner').waitFor();
    // Every place was filled, so the note on places left empty stays away.
    expect(await winners.getByText(/eligible when the giveaway ended/).count()).toBe(0);
  });

  it('draws with the drand round pasted, on a server that fetches none, saying what is wrong with a bad paste', async () => {
    const drand = await publishedGiveaway(proofdrop.base, site.url, 'drand@shop.example', { beacon: true });
    await drand.host.call('POST', `/api/v1/giveaways/${drand.giveawayId}/end`);
    const proof = await drand.host.call<DrawProof>('GET', `/api/v1/giveaways/${drand.slug}/draw`);
    const round = proof.beacon?.round as number;
    const hostPage = await (await browser.newContext({ viewport: PHONE })).newPage();
    await hostPage.goto(`${proofdrop.base}/login?next=/giveaways/${drand.giveawayId}`);
    await hostPage.getByLabel('Email').fill('drand@shop.example');
    await hostPage.getByLabel('Password').fill(HOST.password);
    await hostPage.getByRole('button', { name: 'Log in' }).click();

    const paste = hostPage.getByLabel(`drand round ${round}`);
    await paste.waitFor();
    await hostPage.getByText('This server fetches no drand rounds').waitFor();
    // Nothing pasted yet, and nothing the server could fetch: there is nothing to draw with.
    expect(await hostPage.getByRole('button', { name: 'Draw winners' }).isDisabled()).toBe(true);
    await paste.fill('<html>502 Bad Gateway</html>');
    await hostPage.getByText(`Paste what the relay shows for round ${round}`).waitFor();
    expect(await hostPage.getByRole('button', { name: 'Draw winners' }).isDisabled()).toBe(true);
    await expectAccessibleAndNarrow(hostPage, 'draw with a drand round to paste');

    // A round's signature that is not the round's: the server checks it and says so; nothing is drawn.
    await paste.fill(JSON.stringify({ round, randomness: 'ab', signature: 'a'.repeat(96) }));
    await hostPage.getByRole('button', { name: 'Draw winners' }).click();
    // Nobody joined: the question says so before the draw, not after.
    await hostPage.getByText('No entry is eligible, so nobody will win.').waitFor();
    await hostPage.getByRole('button', { name: 'Yes, draw the winners' }).click();
    await hostPage
      .getByRole('alert')
      .filter({ hasText: /signature/ })
      .waitFor();
    expect((await drand.host.call<Giveaway>('GET', `/api/v1/giveaways/${drand.giveawayId}`)).status).toBe(
      'ended',
    );
    await hostPage.context().close();
  });
});
