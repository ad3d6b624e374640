import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { DESKTOP, PHONE, scrollWidth, seriousA11yViolations } from './browser.js';

/** No serious axe finding at desktop width nor on a phone, where the page must not scroll sideways. */
export async function expectAccessibleAndNarrow(page: Page, label: string): Promise<void> {
  expect(await seriousA11yViolations(page, label), label).toEqual([]);
  await page.setViewportSize(PHONE);
  expect(await scrollWidth(page), `${label} at 390 px`).toBeLessThanOrEqual(PHONE.width);
  expect(await seriousA11yViolations(page, `${label}, phone`), `${label}, phone`).toEqual([]);
  await page.setViewportSize(DESKTOP);
}
