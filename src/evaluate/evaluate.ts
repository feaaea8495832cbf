import type { Plan, PlannedKpi, PlannedOf, PeriodRef } from '../compile/plan.js';
import { HCP_WORDS, type EntityWords } from '../model/entity-words.js';
import { kpiRefs, parseExpression } from '../model/expression.js';
import { benchmarkTarget, benchmarkValue, type BenchmarkTarget } from './benchmark.js';
import { QueryRows, sliceKey, type Dims, type Row } from './rows.js';
import { attainmentValue } from './kinds/attainment.js';
import { averageValue } from './kinds/average.js';
import { capValue } from './kinds/cap.js';
import { indexValue } from './kinds/engagement-index.js';
import { funnelValue } from './kinds/funnel.js';
import { growthValue } from './kinds/growth.js';
import { ratioValue } from './kinds/ratio.js';
import { reachValue } from './kinds/reach.js';
import { componentsOf } from './kinds/reader.js';
import { reengagementValue } from './kinds/reengagement.js';
import { scoreValue } from './kinds/score.js';
import { shareValue } from './kinds/share.js';
import { stageValue } from './kinds/stage.js';
import { derivedValue } from './kinds/derived.js';
import type { Value } from './values.js';

export interface TrendPoint {
  period: string;
  value: Value['value'];
  n: number;
  reason?: string;
  provisional?: true;
}

export interface SliceResult extends Value {
  dims: Dims;
  provisional?: true;
  trend: TrendPoint[];
  /** For a target relative to competitor benchmarks: that target for the reported period. */
  benchmark_target?: BenchmarkTarget;
}

export interface KpiValues {
  plan: PlannedKpi;
  slices: SliceResult[];
}

/** The slices a KPI has: every combination of its slice sets' dimension values found in its component rows. */
function slicesOf(kpi: PlannedKpi, rows: ReadonlyMap<string, QueryRows>, inputs: readonly KpiValues[]): Dims[] {
  const found = new Map<string, Dims>();
  const wanted = new Set(kpi.sliceSets.map((s) => [...s].sort().join(',')));
  const add = (dims: Dims) => {
    if (wanted.has(Object.keys(dims).sort().join(','))) found.set(sliceKey(dims), dims);
  };
  for (const ref of Object.values(kpi.components)) for (const dims of rows.get(ref.query)?.slices.values() ?? []) add(dims);
  for (const input of inputs) for (const s of input.slices) add(s.dims);
  if (wanted.has('')) found.set(sliceKey({}), {});
  return [...found.values()].sort((a, b) => Object.keys(a).length - Object.keys(b).length || sliceKey(a).localeCompare(sliceKey(b)));
}

/** One value of a KPI that reads query rows: the arithmetic of its kind, in `kinds/`. */
function valueFromRows(kpi: Exclude<PlannedKpi, PlannedOf<'derived' | 'benchmark'>>, rows: ReadonlyMap<string, QueryRows>, period: PeriodRef, slice: Dims, entity: EntityWords): Value {
  const at = <P extends PlannedKpi>(p: P) => componentsOf(p, rows, period, slice, entity);
  switch (kpi.kind) {
    case 'reach': return reachValue(at(kpi));
    case 'ratio': return ratioValue(at(kpi));
    case 'share': return shareValue(at(kpi));
    case 'score': return scoreValue(at(kpi));
    case 'index': return indexValue(at(kpi));
    case 'attainment': return attainmentValue(at(kpi));
    case 'reengagement': return reengagementValue(at(kpi));
    case 'cap': return capValue(at(kpi));
    case 'stage': return stageValue(at(kpi));
    case 'funnel': return funnelValue(at(kpi));
    case 'growth': return growthValue(at(kpi));
    case 'average': return averageValue(at(kpi));
  }
}

/**
 * Turns query rows into every KPI's values: per slice, the reported period's value with
 * its components, and the trend. KPIs are evaluated in plan order, so derived and
 * benchmark KPIs find their inputs already computed.
 */
/** `entity` names the counted entities in the reasons a value is missing ("no customers in the population"). */
export function evaluate(plan: Plan, rowsByQuery: ReadonlyMap<string, readonly Row[]>, entity: EntityWords = HCP_WORDS): KpiValues[] {
  const rows = new Map(plan.queries.map((q) => [q.id, new QueryRows(q, rowsByQuery.get(q.id) ?? [])]));
  const done = new Map<string, KpiValues>();
  for (const kpi of plan.kpis) {
    const formula = kpi.kind === 'derived' ? parseExpression(kpi.settings.expression) : undefined;
    const inputIds = formula && 'expr' in formula ? [...new Set(kpiRefs(formula.expr).map((r) => r.id))] : kpi.kind === 'benchmark' ? [kpi.settings.kpi] : [];
    const inputs = inputIds.map((id) => done.get(id)).filter((x): x is KpiValues => x !== undefined);
    const byInput = new Map(inputs.map((i) => [i.plan.id, new Map(i.slices.map((s) => [sliceKey(s.dims), s]))]));
    const inputValue = (id: string, slice: Dims, period: string) => {
      const s = byInput.get(id)?.get(sliceKey(slice));
      return s?.trend.find((t) => t.period === period);
    };
    const valueAt = (period: PeriodRef, slice: Dims): Value => {
      if (kpi.kind === 'derived') return derivedValue(formula!, slice, period.label, inputValue);
      if (kpi.kind === 'benchmark') return benchmarkValue(kpi, rows.get(kpi.components.rows.query)!.rows, slice, period, kpi.settings.direction, inputValue);
      return valueFromRows(kpi, rows, period, slice, entity);
    };
    const provisional = new Set(kpi.provisional ?? []);
    const slices = slicesOf(kpi, rows, inputs).map((dims): SliceResult => {
      const trend = kpi.trend.map((p): TrendPoint => {
        const v = valueAt(p, dims);
        return { period: p.label, value: v.value, n: v.n, ...(v.reason ? { reason: v.reason } : {}), ...(provisional.has(p.label) ? { provisional: true as const } : {}) };
      });
      const current = valueAt(kpi.period, dims);
      const target = kpi.targetBenchmark
        ? benchmarkTarget(kpi.targetBenchmark, rows.get(kpi.targetBenchmark.query)?.rows ?? [], dims, kpi.period, kpi.direction)
        : undefined;
      return { dims, ...current, ...(provisional.has(kpi.period.label) ? { provisional: true as const } : {}), trend, ...(target ? { benchmark_target: target } : {}) };
    });
    done.set(kpi.id, { plan: kpi, slices });
  }
  return [...done.values()];
}

