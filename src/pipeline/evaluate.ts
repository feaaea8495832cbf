import { createRequire } from 'node:module';
import { compile } from '../compile/compile.js';
import { duckdb, type Dialect } from '../compile/dialects/index.js';
import type { Engine } from '../engine/engine.js';
import { evaluate } from '../evaluate/evaluate.js';
import type { Coverage, SourceCover } from '../evaluate/coverage.js';
import { buildResults, configHash } from '../evaluate/results.js';
import type { Model } from '../model/model.js';
import type { EvalPeriod } from '../model/period.js';
import type { KpiModel } from '../model/kpi.js';
import { explainedOf } from '../scorecard/explained.js';
import type { Results } from '../spec/results.js';
import type { ValidatedProject } from '../validate/project.js';
import { catalog, modelOf } from './project.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** What runs a plan's SQL: the embedded DuckDB or a warehouse session (its dialect, when it has one, is the default). */
export type Queryable = Pick<Engine, 'all'> & Partial<Pick<Engine, 'dialect'>>;

export interface EvaluateInput {
  validated: ValidatedProject;
  db: Queryable;
  /** The SQL dialect of `db` (default DuckDB). */
  dialect?: Dialect;
  /** Where the data comes from, as results name it. */
  snapshot: Results['snapshot'];
  /** A calendar period, or a rolling window (`rollingPeriod`). */
  period: EvalPeriod;
  /** KPIs not computed because a table they read failed its checks. */
  blocked: Results['blocked'];
  /** Only these KPIs (and what they are computed from); default all. */
  only?: ReadonlySet<string>;
  onQuery?: (id: string) => void;
  /** Periods before the reported one in each trend (default 12, the compiler's). */
  trend?: number;
  /**
   * The texts the configuration hash covers (default: the project's files). Commands that
   * checked a snapshot pass its manifest too, as every results document so far has hashed it.
   */
  texts?: ReadonlyMap<string, string>;
}

/** Compiles and runs the plan for one period on loaded data and returns the `results/v1` document. */
export async function evaluateResults(input: EvaluateInput): Promise<Results> {
  const { validated, period } = input;
  const dialect = input.dialect ?? input.db.dialect ?? duckdb;
  const asOf = new Date(input.snapshot.as_of);
  const skip = new Set(input.blocked.map((b) => b.kpi));
  if (input.only) {
    const all = modelOf(validated).kpis;
    const needed = dependencyClosure(all, input.only);
    for (const k of all) if (!needed.has(k.id)) skip.add(k.id);
  }
  const model = modelOf(validated, skip);
  const plan = compile(model, dialect, { period, asOf, ...(input.trend !== undefined ? { trend: input.trend } : {}) });
  const { runPlan } = await import('../engine/run-plan.js');
  const { rows } = await runPlan(input.db, plan, input.onQuery);
  const coverage = await dataCoverage(input.db, dialect, model, new Set(input.blocked.map((b) => b.table)), input.snapshot);
  const values = evaluate(plan, rows, model.words);
  const results = buildResults({
    version, configHash: configHash(input.texts ?? validated.texts), model, plan, values, blocked: input.blocked, period, coverage,
    snapshot: input.snapshot,
  });
  // What moved each KPI, for the scorecards that opt in: only in a whole evaluation (a command
  // evaluating a few KPIs for its own use reads them itself).
  if (input.only) return results;
  const explained = explainedOf(results, catalog(validated, model), model, validated.files.scorecards.map((s) => s.spec));
  return explained.length > 0 ? { ...results, explained } : results;
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
  for (const [source, spec] of Object.entries(model.sources)) {
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
function dependencyClosure(kpis: readonly KpiModel[], ids: ReadonlySet<string>): Set<string> {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  const out = new Set<string>();
  const visit = (id: string) => {
    if (out.has(id) || !byId.has(id)) return;
    out.add(id);
    for (const dep of byId.get(id)!.dependsOn) visit(dep);
  };
  ids.forEach(visit);
  return out;
}

