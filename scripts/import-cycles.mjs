// Fails when any TypeScript file in apps/, packages/ or bench/ reaches itself through its imports.
//
// Type-only imports count too: they vanish at run time, but a cycle of types still ties two modules
// together so that neither can be read, tested or moved without the other, and the layout promises that
// dependencies run one way. A workspace package imported by name counts as the source file behind the
// build output it resolves to, so a cycle across packages is found as well.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const SOURCE = /\.(ts|tsx|mts|cts)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'data']);
const options = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(path);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module a file names: static imports and re-exports (type-only included), and dynamic imports. */
function specifiers(file) {
  const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const WORKSPACES = ['apps', 'packages', 'bench'];

/** The names of the workspace's own packages: an import of one that resolves nowhere is an error, not a skip. */
const workspacePackages = WORKSPACES.flatMap((dir) => {
  const path = join(root, dir);
  if (!existsSync(path)) return [];
  const dirs = existsSync(join(path, 'package.json'))
    ? [path]
    : readdirSync(path).map((sub) => join(path, sub));
  return dirs
    .map((pkg) => join(pkg, 'package.json'))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')).name);
});
const isWorkspacePackage = (specifier) =>
  workspacePackages.some((name) => specifier === name || specifier.startsWith(`${name}/`));

/** The workspace source file an import lands on, or undefined for a module from outside the workspace. */
function resolve(specifier, from, known) {
  // Every package here is ESM ("type": "module"), so imports resolve as `import`, through `exports`.
  const resolved = ts.resolveModuleName(
    specifier,
    from,
    options,
    ts.sys,
    undefined,
    undefined,
    ts.ModuleKind.ESNext,
  ).resolvedModule?.resolvedFileName;
  if (!resolved && isWorkspacePackage(specifier)) {
    throw new Error(
      `${relative(root, from)}: cannot resolve ${specifier}; build the workspace first (npm install)`,
    );
  }
  if (!resolved || resolved.includes('/node_modules/')) return undefined;
  if (known.has(resolved)) return resolved;
  // A workspace package imported by name resolves to its build: count the source it is built from.
  const built = resolved.replace('/dist/', '/src/').replace(/\.d\.(m|c)?ts$/, '.$1ts');
  for (const candidate of [built, built.replace(/\.ts$/, '.tsx')]) if (known.has(candidate)) return candidate;
  if (resolved.includes('/dist/')) throw new Error(`${relative(root, from)}: no source behind ${resolved}`);
  return undefined;
}

const files = WORKSPACES.flatMap((dir) => sourceFiles(join(root, dir)));
const known = new Set(files);
const edges = new Map(
  files.map((file) => [
    file,
    [...new Set(specifiers(file).map((s) => resolve(s, file, known)))].filter((to) => to !== undefined),
  ]),
);

// Tarjan's strongly connected components: every component of more than one file (or a file importing
// itself) is a cycle.
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
let next = 0;
function connect(file) {
  index.set(file, next);
  low.set(file, next++);
  stack.push(file);
  onStack.add(file);
  for (const to of edges.get(file) ?? []) {
    if (!index.has(to)) {
      connect(to);
      low.set(file, Math.min(low.get(file), low.get(to)));
    } else if (onStack.has(to)) {
      low.set(file, Math.min(low.get(file), index.get(to)));
    }
  }
  if (low.get(file) !== index.get(file)) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    component.push(member);
  } while (member !== file);
  if (component.length > 1 || (edges.get(file) ?? []).includes(file)) cycles.push(component);
}
for (const file of files) if (!index.has(file)) connect(file);

/** One concrete loop through a component, for the message: a path from its first file back to itself. */
function loopThrough(component) {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const to of edges.get(file) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let at = file; at !== undefined && at !== start; at = previous.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, file);
        queue.push(to);
      }
    }
  }
  return component;
}

if (cycles.length > 0) {
  console.error(`${cycles.length} import cycle(s) between files:`);
  for (const component of cycles) {
    console.error(
      `  ${loopThrough(component.sort())
        .map((file) => relative(root, file))
        .join('\n    -> ')}`,
    );
  }
  process.exit(1);
}
console.log(`no import cycle among ${files.length} files in ${WORKSPACES.join('/, ')}/`);
