import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { giveawayWithParticipant, startProofdrop } from './support/proofdrop.js';

const run = promisify(execFile);
const docs = fs.readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/integrations.md'),
  'utf8',
);

/** The code block the docs mark `<!-- recipe: name -->`, exactly as a reader copies it. */
function recipe(name: string): string {
  const match = new RegExp(`<!-- recipe: ${name} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\\n\`\`\``).exec(docs);
  if (!match?.[1]) throw new Error(`docs/integrations.md has no recipe marked "recipe: ${name}"`);
  return match[1];
}

const recipes = {
  curl: (env: Record<string, string>) =>
    run('bash', ['-c', recipe('curl')], { env: { PATH: process.env.PATH, ...env } }),
  python: (env: Record<string, string>) =>
    run('python3', ['-c', recipe('python')], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    }),
};

let base: string;
beforeAll(async () => {
  ({ base } = await startProofdrop());
});

describe.each(
  Object.keys(recipes) as (keyof typeof recipes)[],
)('the %s recipe of docs/integrations.md', (name) => {
  it('proves counted actions against the real server, each remark once, values with & = and Unicode raw', async () => {
    const shop = await giveawayWithParticipant(base, [{ event: 'like_article', requiredAmount: 3 }]);
    const send = async (remark: string, apiKey = shop.apiKey) => {
      const { stdout } = await recipes[name]({
        PROOFDROP_URL: base,
        PROOFDROP_API_KEY: apiKey,
        TRACK_ID: shop.trackId,
        EVENT: 'like_article',
        REMARK: remark,
      });
      return JSON.parse(stdout);
    };
    expect(await send('artículo-№7 ✓ 点赞')).toMatchObject({
      ok: true,
      code: 'recorded',
      progress: { count: 1 },
    });
    expect(await send('order=42&amount=19.99')).toMatchObject({
      ok: true,
      code: 'recorded',
      progress: { count: 2 },
    });
    expect(await send('order=42&amount=19.99')).toMatchObject({ ok: true, code: 'duplicate' });
    expect(await send('article-3')).toMatchObject({ ok: true, code: 'completed', eligible: true });
    expect(await send('article-4', 'x'.repeat(64))).toMatchObject({ ok: false, code: 'invalid_signature' });
    expect(await shop.progress()).toEqual({ eligible: true, counts: { like_article: 3 } });
  });
});
