import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PHONE, scrollWidth, seriousA11yViolations } from './support/browser.js';

/** The checks the journeys rely on must catch what they claim to, or a green run proves nothing. */
describe('the e2e checks', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: PHONE });
  });
  afterAll(() => browser?.close());

  it('axe-core reports a nameless button and an image without text as serious or worse', async () => {
    await page.setContent(
      '<!doctype html><html lang="en"><title>t</title><main><h1>t</h1><button></button><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></html>',
    );
    const ids = (await seriousA11yViolations(page, 'harness')).map((finding) => finding.id).sort();
    expect(ids).toEqual(['button-name', 'image-alt']);
  });

  it('sees sideways scrolling on a phone', async () => {
    await page.setContent(
      '<!doctype html><html lang="en"><title>t</title><div style="width:600px">wide</div></html>',
    );
    expect(await scrollWidth(page)).toBeGreaterThan(PHONE.width);
  });
});
