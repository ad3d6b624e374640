import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium.js';

const moduleFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/browser.js');
const code = fs.readFileSync(moduleFile);

/** A site of a few pages that load the built module as a page would, and redirect as sites do. */
function startSite(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site.test');
    if (url.pathname === '/proofdrop-browser.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    } else if (url.pathname === '/redirect') {
      res.writeHead(302, { location: '/checkout' }).end();
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>Shop</title>
<form><label>Email <input name="email"></label><button>Sign up</button></form>
<script type="module">
  import * as proofdrop from '/proofdrop-browser.js';
  window.proofdrop = proofdrop;
  window.captured = proofdrop.captureTrackId();
</script>`);
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

type Sdk = typeof import('../src/browser.js');
declare global {
  interface Window {
    proofdrop: Sdk;
    captured: ReturnType<Sdk['captureTrackId']>;
  }
}

let browser: Browser;
let site: Server;
let origin: string;

beforeAll(async () => {
  [browser, site] = await Promise.all([launchChromium(), startSite()]);
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  site?.close();
});

async function open(page: Page, url: string) {
  await page.goto(`${origin}${url}`);
  await page.waitForFunction(() => window.proofdrop !== undefined);
}

describe('@proofdrop/sdk/browser in Chromium', () => {
  it('is one module under 5 kB, gzipped or not, with no import left to resolve', () => {
    expect(code.length).toBeLessThan(5 * 1024);
    expect(gzipSync(code).length).toBeLessThan(5 * 1024);
    expect(code.toString()).not.toMatch(/\bimport\b/);
  });

  it('reads an absolute URL outside a browser (server-side rendering), where there is no location', async () => {
    const { captureTrackId, getTrackId } = await import('../src/browser.js');
    expect(captureTrackId('https://shop.example/?track_id=kq3V9xYh2bQmR7tLp0sWfA&send=sign_up')).toEqual({
      trackId: 'kq3V9xYh2bQmR7tLp0sWfA',
      event: 'sign_up',
    });
    // The next request there is another visitor's: nothing of the first is kept for it.
    expect(captureTrackId('https://shop.example/signup')).toBeUndefined();
    expect(getTrackId()).toBeUndefined();
  });

  it('captures track_id and send on landing and keeps them through redirects and page changes', async () => {
    const page = await browser.newPage();
    await open(page, '/signup?ref=giveaway&track_id=kq3V9xYh2bQmR7tLp0sWfA&send=sign_up#start');
    expect(await page.evaluate(() => window.captured)).toEqual({
      trackId: 'kq3V9xYh2bQmR7tLp0sWfA',
      event: 'sign_up',
    });
    await open(page, '/redirect');
    expect(page.url()).toBe(`${origin}/checkout`);
    expect(await page.evaluate(() => window.proofdrop.getTrackId())).toBe('kq3V9xYh2bQmR7tLp0sWfA');
    expect(await page.evaluate(() => window.captured)).toEqual({
      trackId: 'kq3V9xYh2bQmR7tLp0sWfA',
      event: 'sign_up',
    });
    await page.close();
  });

  it('hands the track_id to the server in a hidden form field or a header', async () => {
    const page = await browser.newPage();
    await open(page, '/?track_id=Pz8-_aB3cD4eF5gH6iJ7kL');
    const sent = await page.evaluate(() => {
      const form = document.forms[0] as HTMLFormElement;
      window.proofdrop.addTrackIdField(form);
      window.proofdrop.addTrackIdField(form);
      return { fields: new FormData(form).getAll('track_id'), headers: window.proofdrop.trackIdHeaders() };
    });
    expect(sent).toEqual({
      fields: ['Pz8-_aB3cD4eF5gH6iJ7kL'],
      headers: { 'X-Proofdrop-Track-Id': 'Pz8-_aB3cD4eF5gH6iJ7kL' },
    });
    await page.close();
  });

  it('keeps nothing for a visitor who did not come from a giveaway, or with a malformed track_id', async () => {
    const page = await browser.newPage();
    await open(page, '/');
    expect(await page.evaluate(() => window.captured ?? null)).toBeNull();
    await open(page, '/?track_id=a%26b%3Dc&send=sign_up');
    expect(await page.evaluate(() => window.captured ?? null)).toBeNull();
    const sent = await page.evaluate(() => {
      const form = document.forms[0] as HTMLFormElement;
      window.proofdrop.addTrackIdField(form);
      return { fields: new FormData(form).getAll('track_id'), headers: window.proofdrop.trackIdHeaders() };
    });
    expect(sent).toEqual({ fields: [], headers: {} });
    await page.close();
  });

  it('keeps the visit to its own tab session: a new visitor starts without one', async () => {
    const first = await browser.newContext();
    const page = await first.newPage();
    await open(page, '/?track_id=first-visitor&send=deposit');
    await first.close();
    const second = await browser.newContext();
    const other = await second.newPage();
    await open(other, '/checkout');
    expect(await other.evaluate(() => window.proofdrop.getTrackId() ?? null)).toBeNull();
    await second.close();
  });
});
