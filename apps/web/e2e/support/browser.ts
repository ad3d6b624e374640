import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium: Playwright's own download cannot run here, and CI installs the `chromium` package. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export type AxeFinding = { id: string; impact: string; help: string; targets: string[] };

/** Every axe-core finding on the page as it is now, with the elements concerned. */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  // Evaluated through the DevTools protocol: the page's CSP refuses an inline <script>, as it should.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }),
  );
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact ?? 'unknown',
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
}

/** The serious and critical findings, the ones a page must not have; lesser ones are logged for later. */
export async function seriousA11yViolations(page: Page, label: string): Promise<AxeFinding[]> {
  const findings = await axeFindings(page);
  const lesser = findings.filter((finding) => finding.impact !== 'serious' && finding.impact !== 'critical');
  if (lesser.length > 0)
    console.info(`axe (${label}): ${lesser.map((f) => `${f.impact} ${f.id}`).join(', ')}`);
  return findings.filter((finding) => finding.impact === 'serious' || finding.impact === 'critical');
}

/** How wide the page's content is: wider than the viewport means sideways scrolling. */
export function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0);
}
