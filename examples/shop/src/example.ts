import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@proofdrop/sdk';
import { DEMO_LOGIN, ensureDemo } from './demo-setup.js';
import { createShop } from './shop.js';

/**
 * `npm run example`: Proofdrop and the Example Shop side by side, with a demo giveaway whose tasks the shop
 * proves, so the whole loop can be followed in a browser. Proofdrop keeps its data in data/example.db
 * (or in DATABASE_URL, when set).
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const proofdropPort = Number(process.env.PROOFDROP_PORT ?? 3000);
const shopPort = Number(process.env.SHOP_PORT ?? 4000);
const proofdropUrl = `http://localhost:${proofdropPort}`;
const shopUrl = `http://localhost:${shopPort}/`;

function startProofdrop(): ChildProcess {
  const main = path.join(repoRoot, 'apps/server/dist/main.js');
  if (!existsSync(main)) throw new Error('Proofdrop is not built: run npm install first');
  mkdirSync(path.join(repoRoot, 'data'), { recursive: true });
  return spawn(process.execPath, [main], {
    // Proofdrop refuses settings it does not know, so it gets only its own (not this script's PROOFDROP_PORT).
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(proofdropPort),
      DATABASE_URL: process.env.DATABASE_URL ?? `sqlite:${path.join(repoRoot, 'data/example.db')}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    stdio: 'inherit',
  });
}

async function waitUntilReady(child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`Proofdrop stopped (exit code ${child.exitCode})`);
    try {
      if ((await fetch(`${proofdropUrl}/readyz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Proofdrop did not answer on ${proofdropUrl}`);
}

const proofdropProcess = startProofdrop();
const stop = () => {
  proofdropProcess.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  await waitUntilReady(proofdropProcess);
  const demo = await ensureDemo(proofdropUrl, shopUrl);
  // Proofdrop: the shop's client, with the demo project's API key.
  const proofdrop = createClient({ apiKey: demo.apiKey, baseUrl: proofdropUrl });
  createShop({ proofdrop }).listen(shopPort, '127.0.0.1', () => {
    console.log(`
  Proofdrop      ${proofdropUrl}   (dashboard; log in as ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password})
  Giveaway page  ${proofdropUrl}/g/${demo.slug}
  Example Shop   ${shopUrl}

  Open the giveaway page, join with any email, and press "Go" on a task: the shop opens with your
  track_id, and each sign-up, like and deposit shows up on the giveaway page as you make it.
  Ctrl+C stops both.
`);
  });
} catch (error) {
  console.error(`The example could not start: ${(error as Error).message}`);
  proofdropProcess.kill('SIGTERM');
  process.exit(1);
}
