import type { PeriodRef, PlannedKpi, PlannedOf } from '../compile/plan.js';
import { parsePeriod } from '../model/period.js';
import { median } from '../model/stats.js';
import { dimColumn } from '../compile/plan.js';
import type { Dims, Row } from './rows.js';
import type { InputValue, Value } from './values.js';

/** The study the rows of a slice offer for a period: the latest one starting no later than the period. */
function latestStudy(rows: readonly Row[], dims: readonly string[], slice: Dims, period: PeriodRef): { study?: string; inSlice: Row[] } {
  const inSlice = rows.filter((r) => dims.every((d) => (d in slice ? r[dimColumn(d)] === slice[d] : r[dimColumn(d)] === null)));
  const start = Date.parse(period.start);
  const starts = new Map(inSlice.map((r) => [String(r.period), parsePeriod(String(r.period))?.start.getTime()]));
  const candidates = [...starts].filter(([, s]) => s !== undefined && s <= start).sort((a, b) => b[1]! - a[1]!);
  return { study: candidates[0]?.[0], inSlice };
}

export interface BenchmarkTarget {
  value: number | null;
  percentile: number;
  study?: string;
  competitors: number;
  reason?: string;
}

/**
 * A target relative to competitors: the given percentile of the competitors' values in the
 * latest study for the slice, ranked from worst to best in the KPI's direction (100 = the
 * best competitor), interpolated linearly between neighbours. The slice's dimensions must
 * all be in the benchmarks (a country slice of a by-brand study has none).
 */
export function benchmarkTarget(ref: NonNullable<PlannedKpi['targetBenchmark']>, rows: readonly Row[], slice: Dims, period: PeriodRef, direction: 'higher' | 'lower'): BenchmarkTarget {
  const base = { percentile: ref.percentile };
  if (Object.keys(slice).some((d) => !ref.dims.includes(d))) return { ...base, value: null, competitors: 0, reason: `the ${ref.metric} benchmarks are not split by ${Object.keys(slice).filter((d) => !ref.dims.includes(d)).join(', ')}` };
  const { study, inSlice } = latestStudy(rows, ref.dims, slice, period);
  const values = inSlice.filter((r) => String(r.period) === study && r.company !== 'ours' && typeof r.value === 'number').map((r) => r.value as number);
  if (values.length === 0) return { ...base, value: null, competitors: 0, reason: `no competitor ${ref.metric} benchmark up to ${period.label}` };
  const ranked = [...values].sort((a, b) => (direction === 'higher' ? a - b : b - a));
  const at = (ref.percentile / 100) * (ranked.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const value = ranked[lo]! + (ranked[hi]! - ranked[lo]!) * (at - lo);
  return { ...base, value, study, competitors: values.length };
}

/** Our value minus the competitors' figure in the slice's own study, when the benchmarks have rows for exactly this slice. */
function ownGap(kpi: PlannedOf<'benchmark'>, rows: readonly Row[], slice: Dims, period: PeriodRef, direction: 'higher' | 'lower', input: InputValue): Value & { studied: boolean } {
  const ours = input(kpi.settings.kpi, slice, period.label);
  const { study: chosen, inSlice } = latestStudy(rows, kpi.components.rows.dims, slice, period);
  const competitors = inSlice.filter((r) => String(r.period) === chosen && r.company !== 'ours' && typeof r.value === 'number');
  const values = competitors.map((r) => r.value as number);
  const n = ours?.n ?? 0;
  if (values.length === 0) return { value: null, reason: `no competitor benchmark for ${period.label}`, n, components: { ours: ours?.value ?? null }, studied: false };
  const best = direction === 'higher' ? Math.max(...values) : Math.min(...values);
  const figure = kpi.settings.against === 'median' ? median(values) : best;
  const leader = competitors.find((r) => r.value === best)?.company;
  const components = { ours: ours?.value ?? null, competitor: figure, ...(kpi.settings.against === 'leader' ? { leader } : {}), benchmark_period: chosen };
  if (typeof ours?.value !== 'number') return { value: null, reason: `${kpi.settings.kpi} has no value`, n, components, studied: true };
  return { value: ours.value - figure, n, components, studied: true };
}

/**
 * Our value minus the competitors' leader (best for the KPI's direction) or median, from
 * the benchmark rows of the slice (dimensions outside the slice must be empty in the row)
 * and of the latest benchmark period starting no later than the period.
 *
 * Studies are usually run per market (a brand's competitors are not another brand's), so a
 * coarser slice such as all brands has no rows of its own. Its gap is then the gap of each
 * finer slice in its own study, weighted by the support behind it (respondents): for NPS,
 * our pooled score minus the leaders weighted the same way. When the studied slices do not
 * hold everyone behind the total, there is no honest figure, and the reason says so.
 */
export function benchmarkValue(kpi: PlannedOf<'benchmark'>, rows: readonly Row[], slice: Dims, period: PeriodRef, direction: 'higher' | 'lower', input: InputValue): Value {
  const { studied, ...own } = ownGap(kpi, rows, slice, period, direction, input);
  const dims = kpi.components.rows.dims;
  const finer = dims.filter((d) => !(d in slice));
  if (studied || finer.length === 0 || Object.keys(slice).some((d) => !dims.includes(d))) return own;
  const keys = new Map<string, Dims>();
  for (const r of rows) {
    if (Object.keys(slice).some((d) => r[dimColumn(d)] !== slice[d]) || finer.some((d) => r[dimColumn(d)] === null || r[dimColumn(d)] === undefined)) continue;
    const child: Dims = { ...slice, ...Object.fromEntries(finer.map((d) => [d, r[dimColumn(d)] as Dims[string]])) };
    keys.set(JSON.stringify(Object.entries(child).sort()), child);
  }
  if (keys.size === 0) return own;
  const by = finer.join(', ');
  const parts = [...keys.values()].map((child) => ({ child, gap: ownGap(kpi, rows, child, period, direction, input) })).filter((p) => p.gap.n > 0);
  const covered = parts.reduce((s, p) => s + p.gap.n, 0);
  if (covered !== own.n) return { ...own, reason: `the ${kpi.settings.kpi} benchmarks cover ${covered} of the ${own.n} behind the total (by ${by})` };
  const missing = parts.find((p) => typeof p.gap.value !== 'number');
  if (missing) return { ...own, reason: `${Object.entries(missing.child).filter(([d]) => !(d in slice)).map(([d, v]) => `${d} ${String(v)}`).join(', ')}: ${missing.gap.reason ?? 'no value'}` };
  const weighted = (f: (p: typeof parts[number]) => number) => parts.reduce((s, p) => s + p.gap.n * f(p), 0) / covered;
  const studies = [...new Set(parts.map((p) => String(p.gap.components.benchmark_period)))].sort();
  return {
    value: weighted((p) => p.gap.value as number), n: own.n,
    components: { ours: own.components.ours, competitor: weighted((p) => p.gap.components.competitor as number), weighted_by: by, benchmark_period: studies.join(', ') },
  };
}
