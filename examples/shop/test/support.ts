import type { Server } from 'node:http';
import { createClient } from '@proofdrop/sdk';
import { afterAll } from 'vitest';
import { freePort } from '../../../apps/server/test/support.js';
import { api, startProofdrop } from '../../../packages/sdk/test/support/proofdrop.js';
import { type Demo, ensureDemo } from '../src/demo-setup.js';
import { createShop } from '../src/shop.js';

export { launchChromium } from '../../../packages/sdk/test/support/chromium.js';
export { api };

const servers: Server[] = [];
afterAll(() => {
  for (const server of servers.splice(0)) server.close();
});

/** Proofdrop (built, on SQLite) and the shop side by side, with the demo giveaway, as `npm run example` has them. */
export async function startExample() {
  const proofdrop = await startProofdrop();
  const shopUrl = `http://127.0.0.1:${await freePort()}/`;
  const demo: Demo = await ensureDemo(proofdrop.base, shopUrl);
  const log: string[] = [];
  const shop = createShop({
    proofdrop: createClient({ apiKey: demo.apiKey, baseUrl: proofdrop.base }),
    log: (line) => log.push(line),
  });
  await new Promise<void>((resolve) => shop.listen(Number(new URL(shopUrl).port), '127.0.0.1', resolve));
  servers.push(shop);
  return { proofdropUrl: proofdrop.base, shopUrl, demo, log };
}
