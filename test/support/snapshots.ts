import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { Database } from '../../src/engine/duckdb/database.js';
import { loadSnapshot, type LoadedSnapshot } from '../../src/engine/duckdb/load-snapshot.js';
import { generateSample } from '../../src/engine/duckdb/sample/generate.js';
import { REPO } from './demo-project.js';
import type { ValidatedProject } from '../../src/validate/project.js';
import { modelOf } from '../../src/pipeline/project.js';
import { snapshotReader } from '../../src/source/snapshot-reader.js';
import type { SnapshotSpec } from '../../src/spec/snapshot.js';

const made: string[] = [];
let demo: Promise<string> | undefined;
export const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
/**
 * Removes the folders tempDir made, the demo snapshot's copy among them. Test files share a
 * process (vitest.config.ts), so the next file that asks for the demo gets a fresh copy.
 */
export const removeTempDirs = () => {
  made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
  demo = undefined;
};

type SampleOptions = Omit<Parameters<typeof generateSample>[0], 'out' | 'onStep'>;

/**
 * What a generated sample depends on: its options, the engine and spec code that writes it
 * (the generator and what it calls) and DuckDB's version. Any change gives another key, so a
 * cached sample is never one an older generator made.
 */
function sampleKey(options: SampleOptions): string {
  const hash = createHash('sha256').update(JSON.stringify(options));
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)])).sort();
  for (const file of ['src/engine', 'src/spec'].flatMap((d) => files(join(REPO, d)))) hash.update(file.slice(REPO.length)).update(readFileSync(file));
  const duckdb = createRequire(import.meta.url)('@duckdb/node-api/package.json') as { version: string };
  return hash.update(duckdb.version).digest('hex').slice(0, 16);
}

/**
 * A fresh copy of a generated sample snapshot. Each set of options is generated once and kept
 * under the system's temporary folder (keyed by sampleKey), shared by test files and runs:
 * generating the demo's 5,000 HCPs over 24 months takes far longer than copying it.
 */
export async function cachedSample(options: SampleOptions, prefix = 'kpiops-sample-'): Promise<string> {
  const cached = join(tmpdir(), 'kpiops-test-samples', sampleKey(options));
  if (!existsSync(join(cached, 'snapshot.yaml'))) {
    mkdirSync(join(tmpdir(), 'kpiops-test-samples'), { recursive: true });
    const making = mkdtempSync(`${cached}.making-`);
    try {
      await generateSample({ ...options, out: making });
      // Another test file may have made the same sample meanwhile: the first rename wins, both are the same.
      if (!existsSync(cached)) renameSync(making, cached);
    } catch (error) {
      if (!existsSync(join(cached, 'snapshot.yaml'))) throw error;
    } finally {
      rmSync(making, { recursive: true, force: true });
    }
  }
  const dir = tempDir(prefix);
  cpSync(cached, dir, { recursive: true });
  return dir;
}

/** A small CSV sample snapshot (easy to break by editing text), a fresh copy for each call. */
export function smallCsvSample(): Promise<string> {
  return cachedSample({ hcps: 200, months: 4, seed: 7, format: 'csv', end: '2026-10' });
}

export const readManifest = (dir: string) => parse(readFileSync(join(dir, 'snapshot.yaml'), 'utf8')) as SnapshotSpec;
export const writeManifest = (dir: string, manifest: SnapshotSpec) => writeFileSync(join(dir, 'snapshot.yaml'), stringify(manifest));

/** Rewrites the manifest entry of a table from its file, as a snapshot tool would after a change. */
export function reseal(dir: string, table: string, parts: { sha?: boolean; rows?: boolean } = { sha: true, rows: true }) {
  const manifest = readManifest(dir);
  const entry = manifest.tables[table]!;
  const bytes = readFileSync(join(dir, entry.file));
  if (parts.sha) entry.sha256 = createHash('sha256').update(bytes).digest('hex');
  if (parts.rows) entry.rows = bytes.toString().trimEnd().split('\n').length - 1;
  writeManifest(dir, manifest);
}

/** A copy of a snapshot with one CSV table's text changed and the manifest resealed. */
export function editedCopy(source: string, table: string, edit: (csv: string) => string, parts?: { sha?: boolean; rows?: boolean }): string {
  const dir = tempDir('kpiops-broken-');
  cpSync(source, dir, { recursive: true });
  const file = join(dir, `${table}.csv`);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  reseal(dir, table, parts);
  return dir;
}

/**
 * A copy of a snapshot with one table rewritten as Parquet or JSON (one object a line) by a
 * query over its current rows (`t`, every CSV value as text), manifest resealed. `json`
 * gets the query's text columns written as JSON values as they are (so `1e999` is a number).
 */
export async function rewrittenCopy(source: string, table: string, format: 'parquet' | 'json', sql: string): Promise<string> {
  const dir = tempDir('kpiops-rewritten-');
  cpSync(source, dir, { recursive: true });
  const manifest = readManifest(dir);
  const entry = manifest.tables[table]!;
  const from = join(dir, entry.file);
  const file = `${table}.${format}`;
  const db = await Database.open({ threads: 1 });
  let rows: number;
  try {
    await db.run('CREATE TABLE t AS SELECT * FROM read_csv($1, header = true, all_varchar = true)', [from]);
    rows = (await db.all<{ n: number }>(`SELECT count(*) AS n FROM (${sql})`))[0]!.n;
    if (format === 'parquet') {
      await db.run(`COPY (${sql}) TO '${join(dir, file).replace(/'/g, "''")}' (FORMAT parquet)`);
    } else {
      const rows = await db.all<Record<string, string | null>>(sql);
      writeFileSync(join(dir, file), rows.map((r) => `{${Object.entries(r).map(([k, v]) => `${JSON.stringify(k)}:${v === null ? 'null' : /^-?[0-9.e]+$/.test(v) ? v : JSON.stringify(v)}`).join(',')}}\n`).join(''));
    }
  } finally {
    db.close();
  }
  if (file !== entry.file) rmSync(from);
  manifest.tables[table] = { ...entry, file, format, rows, sha256: createHash('sha256').update(readFileSync(join(dir, file))).digest('hex') };
  writeManifest(dir, manifest);
  return dir;
}

/** The demo snapshot `npm run demo` evaluates (5,000 HCPs, 24 months), copied once until removeTempDirs. */
export function demoSnapshot(): Promise<string> {
  demo ??= cachedSample({ hcps: 5000, months: 24, seed: 42, format: 'parquet', end: '2026-10' }, 'kpiops-demo-');
  return demo;
}

/** Loads a snapshot for a validated project, as `kpiops validate --snapshot` does. */
export function load(validated: ValidatedProject, dir: string, shownAs = 'snap', threads?: number): Promise<LoadedSnapshot> {
  return loadSnapshot({
    model: modelOf(validated),
    snapshot: snapshotReader({ dir, shownAs }),
    manifest: readManifest(dir),
    manifestPath: `${shownAs}/snapshot.yaml`,
    ...(threads ? { threads } : {}),
  });
}

/** Replaces the value of one column in the first data row of a CSV. */
export function setCell(csv: string, column: string, value: string, row = 1): string {
  const lines = csv.split('\n');
  const index = lines[0]!.split(',').indexOf(column);
  if (index < 0) throw new Error(`no column ${column}`);
  const cells = lines[row]!.split(',');
  cells[index] = value;
  lines[row] = cells.join(',');
  return lines.join('\n');
}
