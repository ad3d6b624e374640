import { createClient } from '@proofdrop/sdk';
import { createShop } from './shop.js';

/**
 * The shop on its own, against a Proofdrop you run: PROOFDROP_URL and PROOFDROP_API_KEY (the project's key,
 * from its page in the dashboard). `npm run example` starts both instead, with a demo giveaway.
 */
const port = Number(process.env.SHOP_PORT ?? 4000);
const { PROOFDROP_URL, PROOFDROP_API_KEY } = process.env;

// Proofdrop: one client for the shop's project, created once at start.
const proofdrop =
  PROOFDROP_URL && PROOFDROP_API_KEY
    ? createClient({ apiKey: PROOFDROP_API_KEY, baseUrl: PROOFDROP_URL })
    : undefined;
if (!proofdrop) console.warn('PROOFDROP_URL or PROOFDROP_API_KEY is not set: actions are not reported');

createShop({ proofdrop }).listen(port, '127.0.0.1', () => {
  console.log(`Example Shop on http://localhost:${port}`);
});
