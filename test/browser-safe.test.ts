import fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * contract and protocol run in browsers too (the web app, the SDK): nothing they load, their dependencies
 * included, may import a Node module, and their own code may not lean on Node's globals. Checked on the
 * built files the packages export, by following every static and dynamic import.
 */

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// Module syntax at the start of a line (string contents never reach a quote-free `from`), and import().
const IMPORT =
  /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"\n]+)['"]|^\s*import\s*['"]([^'"\n]+)['"]|\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/gm;
/\b(?:import|export)\s*(?:[^'"();]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
const NODE_GLOBALS = /\b(?:Buffer|process|require|__dirname|__filename)\b/;
const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] as string);

type Graph = { files: string[]; nodeImports: string[] };

function importGraph(entry: string): Graph {
  const seen = new Set<string>();
  const nodeImports: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = fs.readFileSync(file, 'utf8');
    for (const match of source.matchAll(IMPORT)) {
      const specifier = (match[1] ?? match[2] ?? match[3]) as string;
      if (isBuiltin(specifier)) {
        nodeImports.push(`${path.relative(repoRoot, file)} imports ${specifier}`);
        continue;
      }
      visit(
        specifier.startsWith('.')
          ? path.resolve(path.dirname(file), specifier)
          : createRequire(file).resolve(specifier),
      );
    }
  };
  visit(entry);
  return { files: [...seen], nodeImports };
}

describe.each(['contract', 'protocol'])('@proofdrop/%s is browser-safe', (name) => {
  const dist = path.join(repoRoot, 'packages', name, 'dist');
  const graph = importGraph(path.join(dist, 'index.js'));

  it('loads no Node module, through its dependencies either', () => {
    expect(graph.files.length).toBeGreaterThan(1);
    expect(graph.nodeImports).toEqual([]);
  });

  it("uses none of Node's globals in its own code", () => {
    const own = graph.files.filter((file) => file.startsWith(dist));
    expect(own.length).toBeGreaterThan(1);
    const leaning = own.filter((file) => NODE_GLOBALS.test(fs.readFileSync(file, 'utf8')));
    expect(leaning.map((file) => path.relative(repoRoot, file))).toEqual([]);
  });
});
