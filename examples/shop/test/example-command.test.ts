import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, freshDatabaseUrl } from '../../../apps/server/test/support.js';
import { DEMO_LOGIN } from '../src/demo-setup.js';

const example = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/example.js');
const running: ChildProcess[] = [];
afterAll(() => {
  for (const child of running) child.kill('SIGTERM');
});

/** `npm run example` as a newcomer runs it; resolves with what it printed once it is ready. */
async function runExample(
  env: Record<string, string>,
): Promise<{ output: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [example], { env: { PATH: process.env.PATH ?? '', ...env } });
  running.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Ctrl+C stops both')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the example stopped (${code}): ${output}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.on('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { output, stop };
}

describe('npm run example', () => {
  it('starts Proofdrop and the shop with a published demo giveaway, and finds it again on the next run', async () => {
    const env = {
      PROOFDROP_PORT: String(await freePort()),
      SHOP_PORT: String(await freePort()),
      DATABASE_URL: await freshDatabaseUrl('sqlite'),
    };
    const first = await runExample(env);
    const giveawayUrl = /Giveaway page\s+(\S+)/.exec(first.output)?.[1] ?? '';
    const shopUrl = /Example Shop\s+(\S+)/.exec(first.output)?.[1] ?? '';
    expect(first.output).toContain(`${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`);
    const slug = giveawayUrl.split('/g/')[1];
    const proofdrop = `http://localhost:${env.PROOFDROP_PORT}`;

    const giveaway = await (await fetch(`${proofdrop}/api/v1/giveaways/${slug}`)).json();
    expect(giveaway).toMatchObject({ status: 'live' });
    expect(
      giveaway.tasks.map((t: { event: string; requiredAmount: number }) => [t.event, t.requiredAmount]),
    ).toEqual([
      ['sign_up', 1],
      ['like_article', 3],
      ['deposit', 1],
    ]);
    expect((await fetch(shopUrl)).status).toBe(200);
    const login = await fetch(`${proofdrop}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO_LOGIN),
    });
    expect(login.status).toBe(200);
    await first.stop();

    const second = await runExample(env);
    expect(second.output).toContain(giveawayUrl);
    await second.stop();
  });
});
