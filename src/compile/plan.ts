import type { MeasureKindName as MeasureKind } from '../model/measure.js';

/** A value bound to a query parameter. */
export type Param = string | number | boolean | null;

/** A period as the plan and the results name it: label, and half-open UTC bounds. */
export interface PeriodRef {
  label: string;
  start: string;
  end: string;
}

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
}

/** Where a KPI component comes from: a column of a query, grouped by these dimensions. */
export interface ComponentRef {
  query: string;
  column: string;
  /** The KPI dimensions this component can be sliced by; other slice dimensions are looked up as totals. */
  dims: string[];
}

/** Everything about one KPI the evaluator needs besides the query rows. */
export interface PlannedKpi {
  id: string;
  kind: MeasureKind;
  /** Whether higher or lower values are better (benchmarks rank competitors by it). */
  direction: 'higher' | 'lower';
  /** The period reported: the requested one, or the last one a lagging source covers. */
  period: PeriodRef;
  /** The trend window, oldest first; it ends with `period`. */
  trend: PeriodRef[];
  /** Set when a lagging source has not covered the requested period yet. */
  stale?: { requested: string; source: string; lag: string };
  /** Funnel periods whose window runs past the snapshot's as-of date: later steps may still come. */
  provisional?: string[];
  sliceSets: string[][];
  components: Record<string, ComponentRef>;
  /** Settings of the kind that the evaluator applies (methods, step names, categories, comparison periods). */
  settings: Record<string, unknown>;
  /** For a target relative to competitor benchmarks: the query with the metric's benchmark rows, and the percentile. */
  targetBenchmark?: { query: string; dims: string[]; percentile: number; metric: string };
}

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
