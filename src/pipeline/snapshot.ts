import { homedir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedSnapshot } from '../engine/duckdb/load-snapshot.js';
import type { QueryCache } from '../engine/duckdb/query-cache.js';
import { codeVersion } from '../source/package.js';
import { canonical, sha256Text } from '../model/definition-hash.js';
import { kpisReading, type ProjectModel } from '../model/project-model.js';
import type { SnapshotDir } from '../source/snapshot.js';
import { snapshotReader } from '../source/snapshot-reader.js';
import type { Results } from '../spec/results.js';
import type { SnapshotSpec } from '../spec/snapshot.js';
import { checkManifest } from '../validate/manifest.js';
import type { ValidatedProject } from '../validate/project.js';
import { modelOf } from './project.js';

/** DuckDB's working memory: beyond it, large groupings spill to temporary files instead of growing. */
export const DEFAULT_MEMORY_LIMIT = '3GB';

/** The snapshot directory, named relative to the project when it is inside it. */
export function snapshotDir(project: string, dir: string): SnapshotDir {
  const shown = relative(resolve(project), resolve(dir)).split('\\').join('/');
  return { dir: resolve(dir), shownAs: shown && !shown.startsWith('..') ? shown : resolve(dir) };
}

/**
 * The KPIs not computed because a table they read failed its checks (or is not there), each
 * with that table. The one statement of the rule: eval, run, diff and the warehouse use it.
 */
export function blockedKpis(model: Pick<ProjectModel, 'readers'>, failed: Iterable<string>): Results['blocked'] {
  const bySource = kpisReading(model);
  return [...failed].flatMap((table) => (bySource.get(table) ?? []).map((kpi) => ({ kpi, table })));
}

/** A snapshot as results name it: its id, as-of instant, the manifest's checksum and each table's coverage. */
export function snapshotOf(manifest: SnapshotSpec, manifestText: string): Results['snapshot'] {
  const starts = coverageStartOf(manifest);
  return { id: manifest.id, as_of: new Date(manifest.as_of).toISOString(), checksum: sha256Text(manifestText), coverage: coverageOf(manifest), ...(Object.keys(starts).length > 0 ? { coverage_start: starts } : {}) };
}

/** Each table's coverage start, as the manifest states it. */
export function coverageStartOf(manifest: { tables: Record<string, { coverage_start?: string }> }): Record<string, string> {
  return Object.fromEntries(Object.entries(manifest.tables).flatMap(([t, spec]) => (spec.coverage_start ? [[t, String(spec.coverage_start).slice(0, 10)]] : [])));
}

/** Each table's coverage end, as the manifest states it. */
export function coverageOf(manifest: { tables: Record<string, { coverage_end?: string }> }): Record<string, string> {
  return Object.fromEntries(Object.entries(manifest.tables).flatMap(([t, spec]) => (spec.coverage_end ? [[t, String(spec.coverage_end).slice(0, 10)]] : [])));
}

/** A snapshot that loaded: the database (the caller closes it), what results call it, and what its checks held back. */
export interface OpenSnapshot {
  loaded: LoadedSnapshot;
  manifest: SnapshotSpec;
  meta: Results['snapshot'];
  /** KPIs not computed because a table they read failed its checks. */
  blocked: Results['blocked'];
  /** Tables that did not load (failed, or left out because nothing reads them). */
  unloaded: ReadonlySet<string>;
  /** Rows of queries already run on this data, when the command keeps them (`cache`). */
  cache?: QueryCache;
}

/**
 * Where rows of queries already run are kept (`kpiops eval`, `run` and `diff`; `--no-cache` to
 * do without): `KPIOPS_CACHE_DIR`, else the user's cache folder (`$XDG_CACHE_HOME/kpiops`,
 * `%LOCALAPPDATA%\kpiops` on Windows, else `~/.cache/kpiops`). Never inside the project: a file a
 * pull request adds to the work tree must not be read back as the rows of a query.
 */
export function cacheDir(env: NodeJS.ProcessEnv): string {
  if (env.KPIOPS_CACHE_DIR) return resolve(env.KPIOPS_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'kpiops');
  if (env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'kpiops');
  return join(homedir(), '.cache', 'kpiops');
}

/** Options for opening a snapshot. */
export interface OpenOptions {
  memoryLimit?: string;
  onStep?: (step: string) => void;
  /** Keep rows of queries in this folder and reuse them when the same query runs on the same data and code. */
  cache?: string;
  /** Rows per part of a query that adds up over HCPs (default: from the memory limit); tests give a small one to run in parts. */
  rowsPerPart?: number;
  /** The code's digest (default: the running kpiops's own, `codeVersion`); tests give another to see it invalidates. */
  code?: string;
}

/** The manifest's text by path, for code frames (the project's texts are not added to). */
export type SnapshotTexts = ReadonlyMap<string, string>;

/**
 * Reads the manifest and loads and checks the snapshot's tables, once the project is clean.
 * `open` is absent when the manifest or the load failed; the diagnostics say why either way.
 */
export async function openSnapshot(validated: ValidatedProject, snapshot: SnapshotDir, options: OpenOptions = {}): Promise<{ open?: OpenSnapshot; diagnostics: Diagnostic[]; texts: SnapshotTexts }> {
  const manifest = checkManifest(snapshot);
  const texts = new Map(manifest.text !== undefined ? [[manifest.path, manifest.text]] : []);
  if (!manifest.manifest) return { diagnostics: manifest.diagnostics, texts };
  // DuckDB loads only when a snapshot is checked: validating YAML alone must start fast.
  const { loadSnapshot } = await import('../engine/duckdb/load-snapshot.js');
  const spec = manifest.manifest.spec;
  const model = modelOf(validated);
  const loaded = await loadSnapshot({
    model,
    snapshot: snapshotReader(snapshot),
    manifest: spec,
    manifestPath: manifest.path,
    memoryLimit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
    ...(options.rowsPerPart !== undefined ? { rowsPerPart: options.rowsPerPart } : {}),
    onStep: (step) => options.onStep?.(step),
  });
  const manifestText = manifest.text ?? '';
  const open: OpenSnapshot = {
    loaded, manifest: spec, meta: snapshotOf(spec, manifestText),
    blocked: blockedKpis(model, loaded.failed),
    unloaded: new Set([...loaded.failed, ...loaded.absent]),
  };
  if (options.cache !== undefined) {
    // What the loaded tables are made of: the files (the manifest holds each one's SHA-256), how
    // kpiops.yaml reads them, which failed, and the code that loaded them.
    const identity = sha256Text(canonical({
      format: 1, code: options.code ?? codeVersion(), manifest: manifestText, sources: model.sources,
      failed: [...loaded.failed].sort(), absent: [...loaded.absent].sort(),
    }));
    open.cache = await loaded.db.cacheQueries(options.cache, identity);
  }
  return { open, diagnostics: loaded.diagnostics, texts };
}
