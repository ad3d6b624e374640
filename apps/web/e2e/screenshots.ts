// npm run screenshots: the main screens at desktop (1280 px) and phone (390 px) width, into docs/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { signCallback } from '@proofdrop/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DESKTOP, launchChromium, PHONE } from './support/browser.js';
import { publishedGiveaway, sendCallback } from './support/host-api.js';
import { type HostSite, startHostSite } from './support/host-site.js';
import { type Proofdrop, repoRoot, startProofdrop } from './support/proofdrop.js';

const OUT = path.join(repoRoot, 'docs/screenshots');

export type Screens = {
  proofdrop: Proofdrop;
  site: HostSite;
  browser: Browser;
  /** A browser profile of its own, with a fixed locale and time zone so dates read the same on every run. */
  newContext: () => Promise<BrowserContext>;
  /** Saves `page` as `<name>-desktop.png` and `<name>-phone.png`, whole pages. */
  shoot: (page: Page, name: string) => Promise<void>;
};

async function participantScreens({ proofdrop, site, newContext, shoot }: Screens): Promise<void> {
  const scenario = await publishedGiveaway(proofdrop.base, site.url, 'screens@shop.example');
  const page = await (await newContext()).newPage();
  await page.goto(`${proofdrop.base}/g/${scenario.slug}`);
  await page.getByRole('button', { name: 'Join' }).waitFor();
  await shoot(page, 'participant-join');

  await page.getByLabel('Email').fill('fan@example.com');
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByText('● Live updates').waitFor();
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('link', { name: /^Go to Create an account/ }).click(),
  ]);
  await tab.waitForLoadState();
  const trackId = new URL(tab.url()).searchParams.get('track_id') ?? '';
  await tab.close();
  await sendCallback(proofdrop.base, scenario.apiKey, { trackId, event: 'sign_up' });
  await sendCallback(proofdrop.base, scenario.apiKey, { trackId, event: 'play_quiz', remark: 'round-1' });
  await page.getByText('1 / 3').waitFor();
  await shoot(page, 'participant-progress');

  for (const round of ['round-2', 'round-3']) {
    await sendCallback(proofdrop.base, scenario.apiKey, { trackId, event: 'play_quiz', remark: round });
  }
  await page.getByText('You are eligible.').waitFor();
  await shoot(page, 'participant-eligible');

  await scenario.host.call('POST', `/api/v1/giveaways/${scenario.giveawayId}/end`);
  await scenario.host.call('POST', `/api/v1/giveaways/${scenario.giveawayId}/draw`);
  await page.reload();
  await page.getByText('You won!').waitFor();
  await shoot(page, 'participant-won');

  await page.goto(`${proofdrop.base}/g/${scenario.slug}/proof`);
  await page.getByRole('heading', { name: 'Proof of the draw' }).waitFor();
  await shoot(page, 'proof');
}

/** The dashboard: a host with a running giveaway, a few entrants at different stages, and the console. */
async function hostScreens({ proofdrop, site, newContext, shoot }: Screens): Promise<void> {
  const page = await (await newContext()).newPage();
  await page.goto(`${proofdrop.base}/signup`);
  await page.getByRole('button', { name: 'Sign up' }).waitFor();
  await shoot(page, 'host-signup');

  const scenario = await publishedGiveaway(proofdrop.base, site.url, 'dashboard@shop.example');
  for (const [i, email] of ['ada@example.com', 'grace@example.org', 'linus@example.net'].entries()) {
    const entry = await scenario.host.call<{ token: string }>(
      'POST',
      `/api/v1/giveaways/${scenario.slug}/entries`,
      {
        email,
      },
    );
    const visit = await fetch(`${proofdrop.base}/api/v1/tasks/${scenario.tasks[1]?.id}/visits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${entry.token}` },
    });
    const { trackId } = (await visit.json()) as { trackId: string };
    if (i < 2) await sendCallback(proofdrop.base, scenario.apiKey, { trackId, event: 'sign_up' });
    for (let round = 0; round < 3 - i; round++) {
      await sendCallback(proofdrop.base, scenario.apiKey, {
        trackId,
        event: 'play_quiz',
        remark: `r${round}`,
      });
    }
  }

  await page.goto(`${proofdrop.base}/login`);
  await page.getByLabel('Email').fill('dashboard@shop.example');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Example Shop' }).click();
  await page.getByRole('heading', { level: 1, name: 'Example Shop' }).waitFor();
  await shoot(page, 'host-project');

  await page.getByRole('link', { name: 'Summer Bike Giveaway' }).click();
  await page.getByText('ada@example.com', { exact: true }).waitFor();
  await shoot(page, 'host-giveaway');

  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('group', { name: 'Task 2' }).waitFor();
  await shoot(page, 'host-giveaway-editor');

  await page.goBack();
  await page.getByRole('link', { name: 'Example Shop' }).click();
  await page.getByRole('link', { name: 'New giveaway' }).click();
  await page.getByRole('button', { name: 'Create giveaway' }).click();
  await page.getByText('Title is required', { exact: true }).waitFor();
  await shoot(page, 'host-new-giveaway-refused');
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'Example Shop' }).waitFor();

  await page.getByRole('link', { name: 'Open the Check API callback console' }).click();
  await page.getByRole('button', { name: 'Check API callback' }).click();
  const trackId = (await page.locator('dl[aria-label="Test track_id"] dd code').first().textContent()) ?? '';
  await sendCallback(proofdrop.base, scenario.apiKey, { trackId, event: 'sign_up' });
  await fetch(`${proofdrop.base}/api/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ track_id: trackId, event: 'sign_up', sign: '0'.repeat(64) }),
  });
  await page.getByRole('list', { name: 'Callbacks, newest first' }).getByText('Bad signature').waitFor();
  await page.getByRole('button', { name: 'Send it again with curl' }).first().click();
  await shoot(page, 'host-callback-console');

  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
  await shoot(page, 'host-account');

  // The host's own page signs a callback, as the crypto-js snippet does: the project warns of it.
  const body = JSON.stringify({
    track_id: trackId,
    event: 'sign_up',
    sign: signCallback(scenario.apiKey, { trackId, event: 'sign_up' }),
  });
  await page.goto(site.url);
  await page.evaluate(
    async ({ url, body }) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
        () => undefined,
      ),
    { url: `${proofdrop.base}/api/callback`, body },
  );
  await page.goto(`${proofdrop.base}/projects`);
  await page.getByRole('link', { name: 'Example Shop' }).click();
  await page.getByRole('note', { name: 'API key in a web page' }).waitFor();
  await shoot(page, 'host-key-in-page');
}

/** A drawn giveaway's Winners on the dashboard: three winners and two prizes, each named by rank. */
async function winnerScreens({ proofdrop, site, newContext, shoot }: Screens): Promise<void> {
  const scenario = await publishedGiveaway(proofdrop.base, site.url, 'winners@shop.example');
  for (const email of ['ada@example.com', 'grace@example.org', 'linus@example.net']) {
    const entry = await scenario.host.call<{ token: string }>(
      'POST',
      `/api/v1/giveaways/${scenario.slug}/entries`,
      { email },
    );
    for (const task of scenario.tasks) {
      const visit = await fetch(`${proofdrop.base}/api/v1/tasks/${task.id}/visits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${entry.token}` },
      });
      const { trackId } = (await visit.json()) as { trackId: string };
      for (let round = 0; round < task.requiredAmount; round++) {
        await sendCallback(proofdrop.base, scenario.apiKey, {
          trackId,
          event: task.event,
          remark: `r${round}`,
        });
      }
    }
  }
  await scenario.host.call('POST', `/api/v1/giveaways/${scenario.giveawayId}/end`);
  await scenario.host.call('POST', `/api/v1/giveaways/${scenario.giveawayId}/draw`);
  const page = await (await newContext()).newPage();
  await page.goto(`${proofdrop.base}/login?next=/giveaways/${scenario.giveawayId}`);
  await page.getByLabel('Email').fill('winners@shop.example');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('region', { name: 'Winners' }).getByText('Prize: City bike').waitFor();
  await shoot(page, 'host-winners');
}

/** The webhooks panel after a rotation whose old secret keeps signing for a week. */
async function webhookScreens({ proofdrop, site, newContext, shoot }: Screens): Promise<void> {
  await publishedGiveaway(proofdrop.base, site.url, 'hooks@shop.example');
  const page = await (await newContext()).newPage();
  await page.goto(`${proofdrop.base}/login`);
  await page.getByLabel('Email').fill('hooks@shop.example');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Example Shop' }).click();
  await page.getByLabel('Endpoint URL').fill(new URL('/hooks/proofdrop', site.url).href);
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.getByLabel('Old secret keeps signing for').selectOption({ label: '7 days' });
  await page.getByRole('button', { name: 'Rotate secret' }).click();
  await page.getByRole('button', { name: 'Yes, rotate secret' }).click();
  await page.getByText(/The old one keeps signing until/).waitFor();
  await page.getByRole('button', { name: 'Send test event' }).click();
  await page
    .getByRole('list', { name: 'Deliveries' })
    .getByText(/Last try/)
    .waitFor();
  await shoot(page, 'host-webhooks');
}

/** Closed sign-up, on a server of its own: the invite link made, and the sign-up page without one. */
async function inviteScreens({ newContext, shoot }: Screens): Promise<void> {
  const closed = await startProofdrop({ SIGNUP: 'closed' });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(`${closed.base}/signup`);
    await page.getByLabel('Email').fill('owner@shop.example');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('button', { name: 'Create invite link' }).click();
    await page.getByText(/^Works once, until/).waitFor();
    await shoot(page, 'host-invite');
    const link = (await page.locator('code.key').textContent()) ?? '';

    const visitor = await (await newContext()).newPage();
    await visitor.goto(`${closed.base}/signup`);
    await visitor.getByRole('heading', { name: 'Sign-up is by invitation' }).waitFor();
    await shoot(visitor, 'host-signup-invite-only');
    await visitor.goto(link);
    await visitor.getByText('You were invited: this link creates one account.').waitFor();
    await shoot(visitor, 'host-signup-invited');
  } finally {
    await closed.stop();
  }
}

/** Each group seeds what its screens need on the one server. */
const GROUPS: ((screens: Screens) => Promise<void>)[] = [
  participantScreens,
  hostScreens,
  winnerScreens,
  webhookScreens,
  inviteScreens,
];

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const [proofdrop, site, browser] = await Promise.all([
    // The webhooks screen's endpoint is the stand-in host site, on this machine.
    startProofdrop({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }),
    startHostSite(),
    launchChromium(),
  ]);
  const screens: Screens = {
    proofdrop,
    site,
    browser,
    newContext: () => browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'UTC' }),
    async shoot(page, name) {
      for (const [size, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        await page.setViewportSize(viewport);
        const file = path.join(OUT, `${name}-${size}.png`);
        await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
        console.log(`wrote ${path.relative(repoRoot, file)}`);
      }
      await page.setViewportSize(DESKTOP);
    },
  };
  try {
    for (const group of GROUPS) await group(screens);
  } finally {
    await browser.close();
    await Promise.all([site.close(), proofdrop.stop()]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
