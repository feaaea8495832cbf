import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './support/demo-project.js';
import { importsOf } from './support/imports.js';

// The stage boundaries of src/README.md ("Stages and allowed imports"), checked on every
// import of src/. What breaks them today is listed below with its reason; the list only
// shrinks: an exception that is no longer needed fails the test until it is removed.

/** Folder (or file) → folder imports the table does not allow, by importing file. */
const KNOWN_EDGES: ReadonlyArray<{ from: string; to: string; why: string }> = [
];

/** npm packages only one stage may import, by importing file. */
const KNOWN_PACKAGES: ReadonlyArray<{ from: string; to: string; why: string }> = [
];

/** Files outside cli/ that read `process`. */
const KNOWN_PROCESS: ReadonlyArray<{ from: string; why: string }> = [
];

/** Import circles between files, each as its files in order. */
const KNOWN_CIRCLES: ReadonlyArray<{ files: string[]; why: string }> = [
];

/** The schema build script runs on its own (`npm run schemas`): it reads its arguments and working directory. */
const MAY_READ_PROCESS = new Set(['spec/write-schemas.ts']);
const PACKAGE_STAGE: ReadonlyArray<{ package: RegExp; folder: string }> = [
  { package: /^(@duckdb\/node-api|pg)$/, folder: 'engine' },
  { package: /^(nodemailer|@octokit\/.+)$/, folder: 'deliver' },
];

const SRC = join(REPO, 'src');

/** The table of src/README.md: folder → the folders it may import, each with the files it is narrowed to (empty: any file). */
export function allowedImports(readme: string): Map<string, Map<string, string[]>> {
  const section = /^## Stages and allowed imports\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? '';
  const rows = section.split('\n').filter((l) => /^\| `[a-z-]+` \|/.test(l));
  return new Map(rows.map((row) => {
    const [folder, imports] = row.split('|').slice(1, 3).map((c) => c.trim()) as [string, string];
    const edges = new Map([...imports.matchAll(/`([a-z-]+)`(?: \(only ([^)]*)\))?/g)].map((m) => [m[1]!, m[2] ? [...m[2].matchAll(/`([^`]+)`/g)].map((f) => f[1]!) : []]));
    return [folder.replaceAll('`', ''), edges];
  }));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Whether a file reads `process` (its environment, streams, arguments, working directory, exit code or pid), outside comments. */
export function readsProcess(text: string): boolean {
  const code = text.split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l)).join('\n');
  return /(?<![\w.'"`])process\s*\.|from\s*['"](node:)?process['"]/.test(code);
}

interface Graph {
  /** Each src file (relative to src/) with the src files it imports. */
  files: Map<string, string[]>;
  /** Each src file with the npm packages it imports. */
  packages: Map<string, string[]>;
}

function graphOf(root: string): Graph {
  const files = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  for (const path of sourceFiles(root)) {
    const from = relative(root, path);
    const specifiers = importsOf(readFileSync(path, 'utf8'));
    files.set(from, specifiers.filter((s) => s.startsWith('.')).map((s) => {
      const target = resolve(dirname(path), s).replace(/\.js$/, '.ts');
      return relative(root, existsSync(target) ? target : join(target.replace(/\.ts$/, ''), 'index.ts'));
    }));
    packages.set(from, specifiers.filter((s) => !s.startsWith('.') && !s.startsWith('node:')).map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2) : s.split('/').slice(0, 1)).join('/')));
  }
  return { files, packages };
}

const folderOf = (file: string) => (file.includes('/') ? file.split('/')[0]! : '.');

/** Imports from one folder into another that the table does not allow, as `file → folder` (once per pair). */
function disallowedEdges(graph: Graph, table: Map<string, Map<string, string[]>>): Array<{ from: string; to: string }> {
  const out = new Map<string, { from: string; to: string }>();
  for (const [from, targets] of graph.files) {
    for (const target of targets) {
      const a = folderOf(from);
      const b = folderOf(target);
      if (a === b) continue;
      const only = table.get(a)?.get(b);
      const allowed = only !== undefined && (only.length === 0 || only.includes(target.slice(b.length + 1)));
      if (!allowed) out.set(`${from} ${b}`, { from, to: b });
    }
  }
  return [...out.values()];
}

/** The import circles between files (strongly connected components of two or more files, or a file importing itself), each sorted. */
function circles(graph: Graph): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.files.get(v) ?? []) {
      if (!graph.files.has(w)) continue;
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.files.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of [...graph.files.keys()].sort()) if (!indexOf.has(v)) visit(v);
  return found;
}

const key = (x: { from: string; to: string }) => `${x.from} → ${x.to}`;

/** Findings not listed as exceptions, and exceptions no longer found. */
function against<T>(found: readonly T[], known: readonly T[], keyOf: (x: T) => string) {
  const f = new Set(found.map(keyOf));
  const k = new Set(known.map(keyOf));
  return { unlisted: [...f].filter((x) => !k.has(x)).sort(), stale: [...k].filter((x) => !f.has(x)).sort() };
}

const table = allowedImports(readFileSync(join(SRC, 'README.md'), 'utf8'));
const graph = graphOf(SRC);

describe('the stage boundaries of src/README.md', () => {
  it('reads the table and every import of src/: a known back-edge and a known package import are among those found', () => {
    // A parser that found nothing would pass everything below.
    expect(table.get('validate')?.get('scorecard')).toEqual(['select.ts']);
    expect(table.get('text')?.size).toBe(0);
    expect(graph.files.get('validate/project.ts')).toContain('source/git.ts');
    expect(graph.packages.get('engine/duckdb/database.ts')).toContain('@duckdb/node-api');
    expect(importsOf("import type { A } from './a.js';\nexport {\n  b,\n} from '../b.js';\n// import { c } from './c.js';\nconst d = await import('./d.js');\n")).toEqual(['./a.js', '../b.js', './d.js']);
    expect([readsProcess('const x = process.env.HOME;'), readsProcess(' * reads process.env in cli/'), readsProcess("s.env = 'process.env'")]).toEqual([true, false, false]);
  });

  it('has a row for every folder of src/, and each row names only folders it has', () => {
    const folders = readdirSync(SRC).filter((f) => statSync(join(SRC, f)).isDirectory()).sort();
    expect(folders.filter((f) => !table.has(f))).toEqual([]);
    const named = [...table.values()].flatMap((edges) => [...edges.keys()]);
    expect(named.filter((f) => !table.has(f))).toEqual([]);
  });

  it('lets each folder import only the folders its row names, apart from the known exceptions, each still needed', () => {
    const { unlisted, stale } = against(disallowedEdges(graph, table), KNOWN_EDGES, key);
    expect(unlisted, 'imports the table does not allow: fix them, or change the table in src/README.md and say why').toEqual([]);
    expect(stale, 'known exceptions no longer needed: remove them from KNOWN_EDGES').toEqual([]);
  });

  it('has no import circle between files, apart from the known ones, each still there as listed', () => {
    const { unlisted, stale } = against(circles(graph), KNOWN_CIRCLES.map((c) => c.files), (files) => files.join(' ⇄ '));
    expect(unlisted, 'new import circles').toEqual([]);
    expect(stale, 'known circles gone or changed: update KNOWN_CIRCLES').toEqual([]);
  });

  it('lets only engine/ import DuckDB or pg, and only deliver/ import nodemailer or Octokit, apart from the known exceptions', () => {
    const found = [...graph.packages].flatMap(([from, packages]) => packages.flatMap((p) => {
      const owner = PACKAGE_STAGE.find((s) => s.package.test(p));
      return owner && folderOf(from) !== owner.folder ? [{ from, to: p }] : [];
    }));
    const { unlisted, stale } = against(found, KNOWN_PACKAGES, key);
    expect(unlisted).toEqual([]);
    expect(stale, 'known exceptions no longer needed: remove them from KNOWN_PACKAGES').toEqual([]);
  });

  it('lets only cli/ (and the schema build script) read process, apart from the known exceptions', () => {
    const found = [...graph.files.keys()].filter((f) => folderOf(f) !== 'cli' && !MAY_READ_PROCESS.has(f) && readsProcess(readFileSync(join(SRC, f), 'utf8')));
    const { unlisted, stale } = against(found, KNOWN_PROCESS.map((p) => p.from), (f) => f);
    expect(unlisted).toEqual([]);
    expect(stale, 'known exceptions no longer needed: remove them from KNOWN_PROCESS').toEqual([]);
  });

  it('gives every known exception a reason', () => {
    for (const x of [...KNOWN_EDGES, ...KNOWN_PACKAGES, ...KNOWN_PROCESS, ...KNOWN_CIRCLES]) expect(x.why.length).toBeGreaterThan(20);
  });
});

/** The src files a file loads when it runs: its value imports (not `import type`), static and dynamic, followed through. */
function loadedBy(seeds: string[], follow: (from: string, specifier: string) => boolean): Map<string, string[]> {
  const loaded = new Map<string, string[]>();
  const stack = [...seeds];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (loaded.has(file)) continue;
    const code = readFileSync(join(SRC, file), 'utf8').split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l)).join('\n');
    const specifiers = [
      ...[...code.matchAll(/^(?:import|export)\s(?!type\s)[^;]*?\sfrom\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
      ...[...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!),
    ].filter((s) => follow(file, s));
    loaded.set(file, specifiers.filter((s) => !s.startsWith('.')));
    for (const s of specifiers.filter((x) => x.startsWith('.'))) stack.push(relative(SRC, resolve(dirname(join(SRC, file)), s).replace(/\.js$/, '.ts')));
  }
  return loaded;
}

describe('what the everyday commands load', () => {
  // TypeBox defines the file formats and builds the published JSON Schemas (`npm run schemas`);
  // loading it costs every command about 70 ms. Validation runs the validators built from it.
  it('validate, eval, run and diff never load TypeBox (the commands loaded on demand that do are named)', () => {
    const onDemand = new Set(['./publish-review.js', './schemas.js', './alert.js', './init.js', './sample.js', './targets.js', './explain.js', './seal.js', './schedule.js', './codeowners.js', './plan.js', './warehouse.js']);
    const loaded = loadedBy(['cli/bin.ts', 'cli/eval.ts', 'cli/run.ts', 'cli/diff.ts'], (from, s) => !(from === 'cli/main.ts' && onDemand.has(s)));
    expect(loaded.size).toBeGreaterThan(100);
    expect(loaded.has('validate/project.ts') && loaded.has('spec/selectors.ts')).toBe(true);
    expect([...loaded].filter(([, packages]) => packages.includes('@sinclair/typebox')).map(([file]) => file)).toEqual([]);
  });
});
