import type { ComponentRef, KindPlans, PeriodRef, PlannedKind } from './plan-kinds.js';

export type { ComponentRef, KindPlans, PeriodRef, PlannedKind } from './plan-kinds.js';

/** A value bound to a query parameter. */
export type Param = string | number | boolean | null;

/**
 * One query of the plan. Its rows carry `period` (milliseconds of the period start, when
 * the query is per period), `gid` (which of `dims` are rolled up: bit i, counted from
 * the last dimension, is 1 when dims[n-1-i] is a total), one `dim:<name>` column per
 * dimension, and the component columns the KPIs in `feeds` read.
 */
export interface PlannedQuery {
  id: string;
  /** What the query computes, in words. */
  description: string;
  sql: string;
  params: Param[];
  dims: string[];
  /** `kpi.component` for every component the query computes. */
  feeds: string[];
  /**
   * Set when each row adds up over HCPs: every table with an HCP column is read only with
   * the same HCP's rows (never across HCPs), and every component column is a count or an
   * exact sum. Run on disjoint sets of HCPs, the whole's rows are then the parts' rows with
   * their component columns added, so an engine may evaluate it in parts that each fit in
   * memory (DuckDB does on large snapshots: `engine/duckdb/parts.ts`).
   */
  byHcp?: true;
}

/** What every planned KPI has, whatever its kind. */
interface PlannedCommon {
  id: string;
  /** Whether higher or lower values are better (benchmarks rank competitors by it). */
  direction: 'higher' | 'lower';
  /** The period reported: the requested one, or the last one a lagging source covers. */
  period: PeriodRef;
  /** The trend window, oldest first; it ends with `period`. */
  trend: PeriodRef[];
  /** Set when a lagging source has not covered the requested period yet. */
  stale?: { requested: string; source: string; lag: string };
  /** Periods whose window runs past the snapshot's as-of date: later events may still come. */
  provisional?: string[];
  sliceSets: string[][];
  /** For a target relative to competitor benchmarks: the query with the metric's benchmark rows, and the percentile. */
  targetBenchmark?: { query: string; dims: string[]; percentile: number; metric: string };
}

/** One KPI of a kind as the evaluator needs it besides the query rows: its components and settings (`plan-kinds.ts`). */
export type PlannedOf<K extends PlannedKind> = PlannedCommon & { kind: K } & KindPlans[K];

/** Everything about one KPI the evaluator needs besides the query rows, by kind. */
export type PlannedKpi = { [K in PlannedKind]: PlannedOf<K> }[PlannedKind];

/** The compiled plan: plain data, printable with `kpiops plan --json`. */
export interface Plan {
  version: 'plan/v1';
  dialect: string;
  period: PeriodRef;
  asOf?: string;
  queries: PlannedQuery[];
  kpis: PlannedKpi[];
}

export const columnName = (kpi: string, component: string) => `${kpi}:${component}`;
/** The id of the fused scan of a source (and, for a source with time, of a grain and first period). */
export const scanId = (source: string, periods: ReadonlyArray<{ grain: string; label: string }> | undefined) => `scan:${source}${periods?.[0] ? `:${periods[0].grain}:${periods[0].label}` : ''}`;
export const dimColumn = (dim: string) => `dim:${dim}`;

/** Where a component computed into the column `kpi:component` of a query is found. */
export const componentRef = (kpi: string, component: string, query: string, dims: string[], column = columnName(kpi, component)): ComponentRef =>
  ({ query, column, kpi, component, dims });
