// Builds the published package. The workspace packages it uses are compiled in, so npm consumers get one
// self-contained package with no dependency on this repository's private workspaces:
// - @proofdrop/protocol's code is bundled;
// - @proofdrop/contract's plain values (patterns, codes) are inlined, and the contract types the SDK
//   exposes are written out in full, so neither its schemas nor TypeBox reach the bundles.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as contract from '@proofdrop/contract';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (file) => path.join(root, file);
rmSync(at('dist'), { recursive: true, force: true });

const CONTRACT = /^@proofdrop\/contract$/;

/** The contract's exports that are plain data: strings, numbers and lists of them. */
const isPlain = (value) =>
  ['string', 'number'].includes(typeof value) ||
  (Array.isArray(value) && value.every((item) => ['string', 'number'].includes(typeof item)));

const contractValues = {
  name: 'contract-values',
  setup(builder) {
    builder.onResolve({ filter: CONTRACT }, () => ({ path: 'contract', namespace: 'contract-values' }));
    builder.onLoad({ filter: /.*/, namespace: 'contract-values' }, () => ({
      loader: 'js',
      contents: Object.entries(contract)
        .filter(([, value]) => isPlain(value))
        .map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};`)
        .join('\n'),
    }));
  },
};

/**
 * Declarations of the contract's types the SDK uses, each written out in full by the type checker
 * (`CallbackVerdict` becomes its object type, its `code` a union of literals).
 */
function contractTypes() {
  const names = [
    'CallbackVerdict',
    'CallbackVerdictCode',
    'WebhookEvent',
    'WebhookEventData',
    'WebhookPayload',
    'WebhookTestData',
  ];
  const file = at('src/__contract-types__.ts');
  const source = `import type { ${names.join(', ')} } from '@proofdrop/contract';\n${names
    .map((name) => `export type ${name}_ = ${name};`)
    .join('\n')}`;
  const options = {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists } = host;
  host.getSourceFile = (name, ...rest) =>
    name === file
      ? ts.createSourceFile(name, source, ts.ScriptTarget.ES2022)
      : getSourceFile.call(host, name, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  const program = ts.createProgram([file], options, host);
  const checker = program.getTypeChecker();
  const flags =
    ts.TypeFormatFlags.NoTruncation |
    ts.TypeFormatFlags.InTypeAlias |
    ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType;
  return program
    .getSourceFile(file)
    .statements.filter(ts.isTypeAliasDeclaration)
    .map((alias) => {
      const written = checker.typeToString(checker.getTypeAtLocation(alias.type), undefined, flags);
      return `export type ${alias.name.text.slice(0, -1)} = ${written};`;
    })
    .join('\n');
}

const contractTypesFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'proofdrop-sdk-')), 'contract.d.ts');
writeFileSync(contractTypesFile, contractTypes());
const contractTypesPlugin = {
  name: 'contract-types',
  resolveId: (id) => (CONTRACT.test(id) ? contractTypesFile : null),
};

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
      plugins: [contractValues],
      legalComments: 'none',
      logLevel: 'warning',
    });
  }
  const types = await rollup({
    input: at(`src/${name}.ts`),
    // Only Node's own modules stay imports.
    external: (id) => id.startsWith('node:'),
    plugins: [contractTypesPlugin, dts({ respectExternal: true, tsconfig: at('tsconfig.json') })],
  });
  await types.write({ file: at(`dist/${name}.d.ts`), format: 'es' });
  await types.close();
  // The bundle imports nothing relative, so one declaration file serves both module systems.
  copyFileSync(at(`dist/${name}.d.ts`), at(`dist/${name}.d.cts`));
}

rmSync(path.dirname(contractTypesFile), { recursive: true, force: true });

// The declarations must stand on their own: a type written out above that names another one not written
// out would leave a dangling name.
const check = ts.createProgram([at('dist/index.d.ts'), at('dist/browser.d.ts')], {
  strict: true,
  noEmit: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
});
const problems = ts.getPreEmitDiagnostics(check);
if (problems.length > 0) {
  const format = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  throw new Error(`the built declarations do not type-check:\n${ts.formatDiagnostics(problems, format)}`);
}
