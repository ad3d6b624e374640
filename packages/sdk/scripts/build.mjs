// Builds the published package: every workspace package the SDK imports is bundled in, so npm consumers
// get one self-contained package with no dependency on this repository's private workspaces.
import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (file) => path.join(root, file);
rmSync(at('dist'), { recursive: true, force: true });

const entries = {
  // The server entry runs on Node (it verifies webhooks with node:crypto).
  index: { platform: 'node', target: 'node20', minify: false },
  // The browser entry is loaded by pages as it is: small, and with no import left to resolve.
  browser: { platform: 'browser', target: 'es2020', minify: true },
};

for (const [name, options] of Object.entries(entries)) {
  for (const [format, extension] of [
    ['esm', 'js'],
    ['cjs', 'cjs'],
  ]) {
    await build({
      entryPoints: [at(`src/${name}.ts`)],
      outfile: at(`dist/${name}.${extension}`),
      bundle: true,
      format,
      ...options,
      legalComments: 'none',
      logLevel: 'warning',
    });
  }
  const types = await rollup({
    input: at(`src/${name}.ts`),
    // Only Node's own modules stay imports; the workspace packages' types are bundled in.
    external: (id) => id.startsWith('node:'),
    plugins: [dts({ respectExternal: true, tsconfig: at('tsconfig.json') })],
  });
  await types.write({ file: at(`dist/${name}.d.ts`), format: 'es' });
  await types.close();
  // The bundle imports nothing relative, so one declaration file serves both module systems.
  copyFileSync(at(`dist/${name}.d.ts`), at(`dist/${name}.d.cts`));
}
