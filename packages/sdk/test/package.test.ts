import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const read = (file: string) => fs.readFileSync(path.join(dist, file), 'utf8');

/** Every module specifier a built file still imports or requires. */
function importsOf(code: string): string[] {
  const specifiers = [...code.matchAll(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']([^"']+)["']/g)];
  return specifiers.map((m) => m[1] as string);
}

describe('the built package', () => {
  it('imports nothing but Node built-ins: the workspace packages are bundled in', () => {
    for (const file of ['index.js', 'index.cjs', 'browser.js', 'browser.cjs']) {
      expect(importsOf(read(file)).filter((s) => !s.startsWith('node:'))).toEqual([]);
    }
    for (const file of ['index.d.ts', 'index.d.cts', 'browser.d.ts', 'browser.d.cts']) {
      // The JSDoc examples import '@proofdrop/sdk' itself: only the declarations' own imports count.
      const declarations = read(file).replace(/\/\*\*[\s\S]*?\*\//g, '');
      expect(importsOf(declarations).filter((s) => !s.startsWith('node:'))).toEqual([]);
    }
  });

  it('gives ESM and CommonJS users the same exports', async () => {
    const esm = await import(path.join(dist, 'index.js'));
    const cjs = createRequire(import.meta.url)(path.join(dist, 'index.cjs'));
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
    expect(Object.keys(esm).sort()).toEqual([
      'ProofdropError',
      'canonical',
      'createClient',
      'sign',
      'verifyWebhook',
    ]);
    expect(cjs.sign('k', { trackId: 't', event: 'e' })).toBe(esm.sign('k', { trackId: 't', event: 'e' }));
  });

  it("takes an error from either build as the other's ProofdropError, and nothing else", async () => {
    const esm = await import(path.join(dist, 'index.js'));
    const cjs = createRequire(import.meta.url)(path.join(dist, 'index.cjs'));
    const thrown = (sdk: typeof esm) => {
      try {
        sdk.createClient({ apiKey: '', baseUrl: 'x' });
      } catch (error) {
        return error;
      }
    };
    expect(thrown(cjs)).toBeInstanceOf(esm.ProofdropError);
    expect(thrown(esm)).toBeInstanceOf(cjs.ProofdropError);
    expect(new Error('x')).not.toBeInstanceOf(esm.ProofdropError);
    expect({ ...(thrown(esm) as object) }).not.toBeInstanceOf(esm.ProofdropError);
    expect(null).not.toBeInstanceOf(esm.ProofdropError);
  });
});
