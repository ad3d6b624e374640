import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const savedIn: string[] = [];
afterAll(() => {
  for (const dir of savedIn.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A recipe written to a file of its own, as a reader saves it: PHP runs the file, Go builds it first. */
function saved(name: string, file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `proofdrop-recipe-${name}-`));
  savedIn.push(dir);
  fs.writeFileSync(path.join(dir, file), recipe(name));
  return path.join(dir, file);
}

/**
 * Each language's runtime must be on the machine, as Chromium and PostgreSQL must: a missing one fails its
 * test, saying what to install, rather than skipping it (CI installs them).
 */
async function needs(check: [string, ...string[]], packages: string): Promise<void> {
  const [command, ...args] = check;
  await run(command, args).catch(() => {
    throw new Error(`the ${command} recipe needs Debian's ${packages}: install them to run this test`);
  });
}

const env = (vars: Record<string, string>) => ({
  env: { PATH: process.env.PATH, HOME: process.env.HOME, ...vars },
});

type Send = (vars: Record<string, string>) => Promise<{ stdout: string }>;

/** How each recipe is run, once what it needs is ready. */
const recipes: Record<string, () => Promise<Send>> = {
  curl: async () => (vars) => run('bash', ['-c', recipe('curl')], env(vars)),
  python: async () => (vars) => run('python3', ['-c', recipe('python')], env(vars)),
  php: async () => {
    await needs(['php', '-r', 'exit(function_exists("curl_init") ? 0 : 1);'], 'php-cli and php-curl');
    const script = saved('php', 'callback.php');
    return (vars) => run('php', [script], env(vars));
  },
  go: async () => {
    await needs(['go', 'version'], 'golang-go');
    const source = saved('go', 'main.go');
    const binary = path.join(path.dirname(source), 'callback');
    // Go's own build cache (under HOME): a newer Go compiles its standard library into it once.
    await run('go', ['build', '-o', binary, source], env({}));
    return (vars) => run(binary, [], env(vars));
  },
};

let base: string;
beforeAll(async () => {
  ({ base } = await startProofdrop());
});

describe.each(Object.keys(recipes))('the %s recipe of docs/integrations.md', (name) => {
  it('proves counted actions against the real server, each remark once, values with & = and Unicode raw', async () => {
    const sendWith = await (recipes[name] as () => Promise<Send>)();
    const shop = await giveawayWithParticipant(base, [{ event: 'like_article', requiredAmount: 3 }]);
    const send = async (remark: string, apiKey = shop.apiKey) => {
      const { stdout } = await sendWith({
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
