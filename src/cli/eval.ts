import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { compile } from '../compile/compile.js';
import { duckdb, type Dialect } from '../compile/dialect.js';
import { exitCodeFor, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { format } from '../diagnostics/format/index.js';
import { jsonText, terminalText } from '../text/terminal.js';
import { evaluatePlan } from '../evaluate/evaluate.js';
import type { Coverage, SourceCover } from '../evaluate/coverage.js';
import { buildResults, configHash, sha256Text } from '../evaluate/results.js';
import { kpiDependencies, kpisBySource } from '../model/dependencies.js';
import { entityWords } from '../model/entity-words.js';
import type { Database } from '../engine/duckdb/database.js';
import type { Engine } from '../engine/engine.js';
import type { KpiSpec } from '../spec/kpi.js';
import type { Results } from '../spec/results.js';
import type { SnapshotSpec } from '../spec/snapshot.js';
import { buildModel, type Model } from '../model/model.js';
import { lastCoveredPeriod, notStarted, parsePeriod, type Calendar, type Period } from '../model/period.js';
import { staleWords } from '../scorecard/stale-words.js';
import { validateProject, type ValidatedProject } from '../validate/project.js';
import { progress as makeProgress } from './progress.js';
import { checkSnapshot, snapshotDir } from './validate.js';

export interface EvalOptions {
  project: string;
  snapshot: string;
  period?: string;
  out?: string;
  memoryLimit?: string;
  quiet?: boolean;
}

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** Reads a `--period` value, or says what a period looks like. */
export function periodOption(text: string | undefined, calendar: Calendar, fallback: () => Period): Period | string {
  if (text === undefined) return fallback();
  return parsePeriod(text, calendar) ?? `--period must be a month (2026-10), an ISO week (2026-W43) or a quarter (2026-Q3); got "${text}"`;
}

/** The KPIs that show an earlier period than asked, `id (period)`, grouped by the reason in words. */
function staleByReason(results: Results, calendar: Calendar): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of results.kpis.filter((x) => x.stale)) {
    const why = staleWords(k.stale!, results.snapshot.as_of, calendar);
    out.set(why, [...(out.get(why) ?? []), `${k.id} (${k.period.label})`]);
  }
  return out;
}

/** What runs a plan's SQL: the embedded DuckDB or a warehouse session (its dialect, when it has one, is the default). */
export type Queryable = Pick<Engine, 'all'> & Partial<Pick<Engine, 'dialect'>>;

export interface EvaluateInput {
  validated: ValidatedProject;
  db: Queryable;
  /** The SQL dialect of `db` (default DuckDB). */
  dialect?: Dialect;
  /** Where the data comes from, as results name it. */
  snapshot: Results['snapshot'];
  period: Period;
  /** KPIs not computed because a table they read failed its checks. */
  blocked: Results['blocked'];
  /** Only these KPIs (and what they are computed from); default all. */
  only?: ReadonlySet<string>;
  onQuery?: (id: string) => void;
}

/** Compiles and runs the plan for one period on loaded data and returns the `results/v1` document. */
export async function evaluateResults(input: EvaluateInput): Promise<Results> {
  const { validated, period } = input;
  const dialect = input.dialect ?? input.db.dialect ?? duckdb;
  const asOf = new Date(input.snapshot.as_of);
  const skip = new Set(input.blocked.map((b) => b.kpi));
  if (input.only) {
    const all = validated.files.kpis.map((k) => k.spec);
    const needed = dependencyClosure(all, input.only);
    for (const k of all) if (!needed.has(k.id)) skip.add(k.id);
  }
  const model = modelOf(validated, skip);
  const plan = compile(model, dialect, { period, asOf });
  const { runPlan } = await import('../engine/run-plan.js');
  const { rows } = await runPlan(input.db, plan, input.onQuery);
  const coverage = await dataCoverage(input.db, dialect, model, new Set(input.blocked.map((b) => b.table)), input.snapshot);
  const specs = new Map(model.kpis.map((k) => [k.id, k]));
  const values = evaluatePlan(plan, specs, rows, entityWords(model.project));
  return buildResults({
    version, configHash: configHash(validated.texts), model, plan, values, specs, blocked: input.blocked, period, coverage,
    snapshot: input.snapshot,
  });
}

/**
 * What the data of each source a KPI reads covers: whether it has rows, the day of the first
 * row of a time-based one, and the manifest's coverage start and end (a source built from
 * exports: the latest of their starts, the earliest of their ends). Failed sources are left out: nothing reads them.
 */
async function dataCoverage(db: Queryable, dialect: Dialect, model: Model, failed: ReadonlySet<string>, snapshot: Results['snapshot']): Promise<Coverage> {
  const cover = new Map<string, SourceCover>();
  const ends = new Map<string, string>();
  const starts = new Map<string, string>();
  const read = new Set(model.kpis.flatMap((k) => k.tablesRead));
  for (const [source, spec] of Object.entries(model.project.sources)) {
    if (failed.has(source) || !read.has(source)) continue;
    const table = dialect.table(source);
    const rows = `EXISTS (SELECT 1 FROM ${table} AS t) AS "rows"`;
    const sql = spec.time ? `SELECT CAST(min(t.${dialect.ident(spec.time)}) AS ${dialect.type('timestamp')}) AS "first", ${rows} FROM ${table} AS t` : `SELECT ${rows}`;
    const [row] = await db.all<{ first?: string | null; rows: boolean }>(dialect.finish(sql));
    // Coverage is by day: data whose first row is at 00:03 on 1 July covers 1 July.
    cover.set(source, { rows: Boolean(row?.rows), ...(row?.first ? { first: new Date(`${row.first.slice(0, 10)}T00:00:00Z`) } : {}) });
    const tables = spec.exports ? Object.keys(spec.exports) : [source];
    const stated = tables.map((t) => snapshot.coverage?.[t]).filter((d): d is string => d !== undefined).sort();
    if (spec.time && stated.length > 0) ends.set(source, stated[0]!);
    // The data is complete from when every export is: the latest of their stated starts.
    const from = tables.map((t) => snapshot.coverage_start?.[t]).filter((d): d is string => d !== undefined).sort();
    if (spec.time && from.length > 0) starts.set(source, from.at(-1)!);
  }
  return { cover, ends, starts };
}

/** The KPIs in `ids` and every KPI they are computed from. */
function dependencyClosure(kpis: readonly KpiSpec[], ids: ReadonlySet<string>): Set<string> {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  const out = new Set<string>();
  const visit = (id: string) => {
    if (out.has(id) || !byId.has(id)) return;
    out.add(id);
    for (const dep of kpiDependencies(byId.get(id)!)) visit(dep);
  };
  ids.forEach(visit);
  return out;
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

/** The model of a validated project, leaving out KPIs in `without`. */
export function modelOf(validated: ValidatedProject, without: ReadonlySet<string> = new Set()): Model {
  const f = validated.files;
  return buildModel({
    project: f.project!.spec, channels: f.channels.map((c) => c.spec),
    kpis: f.kpis.map((k) => k.spec).filter((k) => !without.has(k.id)), scorecards: f.scorecards.map((s) => s.spec),
  });
}

export function report(diagnostics: Diagnostic[], validated: ValidatedProject, s: Streams) {
  if (diagnostics.length === 0) return;
  const name = s.env.GITHUB_ACTIONS === 'true' ? 'github' : 'stylish';
  s.err.write(format(name, diagnostics, { color: Boolean(s.err.isTTY) && !s.env.NO_COLOR, sources: validated.texts }));
}

/**
 * `kpiops eval`: validates the project, loads and checks the snapshot, evaluates every KPI
 * whose data passed its checks and writes `results/v1` JSON. Exit 0 clean, 1 when the
 * project or data had errors (KPIs on failed tables are listed as blocked), 2 on usage.
 */
export async function evalCommand(options: EvalOptions, s: Streams): Promise<number> {
  if (options.memoryLimit !== undefined && !/^\d+(\.\d+)?\s*(KB|MB|GB|TB)$/i.test(options.memoryLimit)) {
    s.err.write(`kpiops: --memory-limit must be a size such as 3GB or 512MB (got "${options.memoryLimit}")\n`);
    return 2;
  }
  // The folder of --out is made, as run makes its outbox, and before the work: a path that
  // cannot be written is said at once, not as an internal error after evaluating.
  if (options.out) {
    try {
      mkdirSync(dirname(options.out), { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is where a folder should be' : code;
      s.err.write(`kpiops: --out ${terminalText(options.out)}: its folder cannot be made (${why})\n`);
      return 2;
    }
  }
  const validated = await validateProject(options.project);
  if (hasErrors(validated.diagnostics) || !validated.files.project) {
    report(validated.diagnostics, validated, s);
    return exitCodeFor(validated.diagnostics);
  }
  const progress = makeProgress(s.err, Boolean(options.quiet));
  const snapshot = snapshotDir(options.project, options.snapshot);
  const checked = await checkSnapshot(validated, snapshot, progress, options.memoryLimit);
  const diagnostics = [...validated.diagnostics, ...checked.diagnostics];
  const loaded = checked.loaded;
  if (!loaded) {
    progress.done();
    report(diagnostics, validated, s);
    return exitCodeFor(diagnostics);
  }
  try {
    const spec = checked.manifest!;
    const asOf = new Date(spec.as_of);
    const calendar = modelOf(validated).calendar;
    const period = periodOption(options.period, calendar, () => lastCoveredPeriod('month', asOf, undefined, calendar));
    if (typeof period === 'string') {
      progress.done();
      s.err.write(`kpiops: ${period}\n`);
      return 2;
    }
    const unstarted = notStarted(period, asOf, calendar);
    if (unstarted) {
      progress.done();
      s.err.write(`kpiops: ${unstarted}\n`);
      return 1;
    }
    const bySource = kpisBySource(validated.files.kpis.map((k) => k.spec), validated.files.project.spec);
    const blocked = [...loaded.failed].flatMap((table) => (bySource.get(table) ?? []).map((kpi) => ({ kpi, table })));
    const started = performance.now();
    const results = await evaluateResults({ validated, db: loaded.db, snapshot: snapshotOf(spec, checked.manifestText ?? ''), period, blocked, onQuery: (id) => progress.step(`Evaluating: ${id}`) });
    progress.done();
    const text = `${jsonText(results)}\n`;
    if (options.out) {
      try {
        writeFileSync(options.out, text);
      } catch (error) {
        s.err.write(`kpiops: --out ${terminalText(options.out)} cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)}); the results were not saved\n`);
        return 2;
      }
    } else s.out.write(text);
    report(diagnostics, validated, s);
    for (const note of loaded.notes) s.err.write(`ℹ ${terminalText(note)}\n`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    s.err.write(`✔ ${results.kpis.length} KPIs evaluated for ${period.label} in ${seconds} s${options.out ? ` → ${options.out}` : ''}\n`);
    for (const [why, ids] of staleByReason(results, calendar)) s.err.write(`  reported for an earlier period (${why}): ${ids.join(', ')}\n`);
    if (blocked.length > 0) s.err.write(`✖ not computed (data failed its checks): ${blocked.map((b) => `${b.kpi} (${b.table})`).join(', ')}\n`);
    return exitCodeFor(diagnostics);
  } finally {
    progress.done();
    loaded.db.close();
  }
}
