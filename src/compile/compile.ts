import type { Model } from '../model/model.js';
import { isRolling, lastCoveredPeriod, trailing, type EvalPeriod } from '../model/period.js';
import type { KpiModel } from '../model/kpi.js';
import type { MeasureModel } from '../model/measure.js';
import type { KindContext, KindOutput } from './context.js';
import type { Dialect } from './dialects/index.js';
import { attainment } from './kinds/attainment.js';
import { average } from './kinds/average.js';
import { benchmark, benchmarkRows } from './kinds/benchmark.js';
import { cap } from './kinds/cap.js';
import { funnel } from './kinds/funnel.js';
import { engagementIndex } from './kinds/engagement-index.js';
import { reengagement } from './kinds/reengagement.js';
import { growth } from './kinds/growth.js';
import { ratio } from './kinds/ratio.js';
import { reach } from './kinds/reach.js';
import { score } from './kinds/score.js';
import { share } from './kinds/share.js';
import { stageDistribution } from './kinds/stage.js';
import { periodRef } from './period-ref.js';
import { RollingRefusedError, rollingRefusals } from './rolling.js';
import { scanId, type PlannedKind, type Plan, type PlannedKpi, type PlannedQuery } from './plan.js';
import { fuseScans, type ScanRequest } from './scan.js';

/** How many periods before the reported one a trend shows. */
export const TREND_PERIODS = 12;

/**
 * Periods before the reported one in a goal-attainment KPI's trend at month grain: its
 * scorecard projects the value to the end of the goals' quarter from past quarters read at
 * the same month of the quarter, and an 80 % range needs 9 of them (`projection/project.ts`).
 * The 9th quarter back is read 27 months before the reported month, whichever month of the
 * quarter that is (its end is later, so in the trend too): 27, not 27 plus the months of the
 * current quarter gone. Only this KPI's own query reads them (attainment shares no scan), so
 * the other KPIs' scans stay 13 periods long; the scorecard shows the last 13 points.
 */
export const ATTAINMENT_TREND_PERIODS = 27;

export interface CompileOptions {
  /** The period asked for: a calendar period, or a rolling window (then every KPI must be of a kind a window can read: `rolling.ts`). */
  period: EvalPeriod;
  /** The snapshot's as-of instant: decides stale (lagging) and provisional (funnel) periods. */
  asOf?: Date;
  /** Periods before the reported one in every KPI's trend (default 12, and 27 for goal attainment by month). */
  trend?: number;
  /** Compile every KPI into its own queries, with no scan shared between KPIs (the naive plan the benchmark compares with). */
  fuse?: boolean;
}


/** One compiler per kind, in `kinds/`; a derived KPI reads only other KPIs' values. */
type Compiled = { [K in PlannedKind]: { kind: K } & KindOutput<K> }[PlannedKind];

function compileKind(ctx: KindContext, m: MeasureModel): Compiled {
  switch (m.kind) {
    case 'reach': return { kind: m.kind, ...reach(ctx, m) };
    case 'ratio': return { kind: m.kind, ...ratio(ctx, m) };
    case 'growth': return { kind: m.kind, ...growth(ctx, m) };
    case 'share': return { kind: m.kind, ...share(ctx, m) };
    case 'score': return { kind: m.kind, ...score(ctx, m) };
    case 'funnel': return { kind: m.kind, ...funnel(ctx, m) };
    case 'cap': return { kind: m.kind, ...cap(ctx, m) };
    case 'reengagement': return { kind: m.kind, ...reengagement(ctx, m) };
    case 'attainment': return { kind: m.kind, ...attainment(ctx, m) };
    case 'benchmark': return { kind: m.kind, ...benchmark(ctx, m) };
    case 'index': return { kind: m.kind, ...engagementIndex(ctx, m) };
    case 'stage': return { kind: m.kind, ...stageDistribution(ctx, m) };
    case 'average': return { kind: m.kind, ...average(ctx, m) };
    case 'derived': return { kind: m.kind, components: {}, settings: { expression: m.expression } };
  }
}

/** Periods before the reported one in a KPI's trend when the caller does not say. */
function trendPeriods(kpi: KpiModel, period: EvalPeriod): number {
  return kpi.measure.kind === 'attainment' && period.grain === 'month' ? ATTAINMENT_TREND_PERIODS : TREND_PERIODS;
}

/** The period a KPI reports: the requested one, or the last one its lagging sources cover. */
function reportedPeriod(model: Model, kpi: KpiModel, options: CompileOptions): { period: EvalPeriod; stale?: PlannedKpi['stale'] } {
  const requested = options.period;
  if (!options.asOf) return { period: requested };
  let period = requested;
  let stale: PlannedKpi['stale'];
  for (const source of kpi.sourcesRead) {
    const spec = model.sources[source]!;
    if (!spec.time) continue;
    const covered = lastCoveredPeriod(requested.grain, options.asOf, spec.lag, model.calendar);
    if (covered.start < period.start) {
      period = covered;
      stale = { requested: requested.label, source, lag: spec.lag ?? 'P0D' };
    }
  }
  return stale ? { period, stale } : { period };
}

/**
 * Compiles the KPIs of a model into a plan: the queries (fused per source and grain when
 * `fuse` is on) and, per KPI, where each of its components comes from.
 */
export function compile(model: Model, dialect: Dialect, options: CompileOptions): Plan {
  if (isRolling(options.period)) {
    // Refused before anything is compiled: a caller leaves these KPIs out (`rollingRefusals`) or fails with the reasons.
    const refused = [...rollingRefusals(model.kpis)].map(([kpi, reason]) => ({ kpi, reason }));
    if (refused.length > 0) throw new RollingRefusedError(refused);
  }
  const queries: PlannedQuery[] = [];
  const scans = new Map<string, ScanRequest[]>();
  const kpis: PlannedKpi[] = [];
  for (const kpi of model.kpis) {
    const { period, stale } = reportedPeriod(model, kpi, options);
    const periods = trailing(period, options.trend ?? trendPeriods(kpi, period), model.calendar);
    const ctx: KindContext = { model, dialect, kpi, periods, ...(options.asOf ? { asOf: options.asOf } : {}), sets: model.sliceSets.get(kpi.id) ?? [[]], scans: [], queries };
    const out = compileKind(ctx, kpi.measure);
    for (const scan of ctx.scans) {
      // Without fusion every KPI reads the table on its own.
      const id = options.fuse === false ? `${scanId(scan.source, scan.periods)}:${kpi.id}` : scanId(scan.source, scan.periods);
      scans.set(id, [...(scans.get(id) ?? []), scan]);
    }
    const relative = kpi.target?.relative;
    const targetBenchmark = relative?.to === 'benchmark' && model.sources[relative.source ?? 'benchmarks']
      ? (() => {
        const metric = relative.metric ?? kpi.id;
        const q = benchmarkRows(ctx, relative.source ?? 'benchmarks', metric, `${kpi.id}:target_benchmarks`);
        return { query: q.id, dims: q.dims, percentile: relative.percentile, metric };
      })()
      : undefined;
    const { provisional, ...typed } = out;
    kpis.push({
      id: kpi.id, ...typed, direction: kpi.direction, period: periodRef(period), trend: periods.map(periodRef),
      ...(stale ? { stale } : {}), ...(provisional && provisional.length > 0 ? { provisional } : {}),
      sliceSets: ctx.sets, ...(targetBenchmark ? { targetBenchmark } : {}),
    });
  }
  const scanQueries: PlannedQuery[] = [];
  for (const [id, requests] of scans) {
    const query = fuseScans(model, dialect, requests);
    if (query.id !== id) {
      query.id = id;
      for (const kpi of kpis) for (const c of Object.values(kpi.components)) if (requests.some((r) => r.aggregates.some((a) => a.column === c.column && c.query === scanId(r.source, r.periods)))) c.query = id;
    }
    scanQueries.push(query);
  }
  queries.unshift(...scanQueries);
  for (const query of queries) query.sql = dialect.finish(query.sql);
  return { version: 'plan/v1', dialect: dialect.name, period: periodRef(options.period), ...(options.asOf ? { asOf: options.asOf.toISOString() } : {}), queries, kpis };
}
