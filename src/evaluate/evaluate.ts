import type { Plan, PlannedKpi, PeriodRef } from '../compile/plan.js';
import { HCP_WORDS, type EntityWords } from '../model/entity-words.js';
import { computeExpression, kpiRefs, parseExpression } from '../model/expression.js';
import { benchmarkTarget, benchmarkValue, type BenchmarkTarget } from './benchmark.js';
import { QueryRows, sliceKey, type Dims, type Row } from './rows.js';
import {
  attainmentValue, capValue, funnelValue, indexValue, reachValue, ratioValue, reengagementValue, scoreValue, shareValue, stageValue, type InputValue, type Value,
} from './values.js';

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

const ms = (p: PeriodRef) => Date.parse(p.start);

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

/**
 * Answers as the engine returns them → answer → count: DuckDB's histogram (a map, or a list
 * of key/value entries), or the plain list of answers other engines return.
 */
function histogram(raw: unknown): Record<string, number> {
  if (Array.isArray(raw) && raw.every((e) => typeof e === 'number')) {
    const counts: Record<string, number> = {};
    for (const answer of raw as number[]) counts[String(answer)] = (counts[String(answer)] ?? 0) + 1;
    return counts;
  }
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((e: { key: unknown; value: unknown }) => [String(e.key), Number(e.value)]));
  return raw && typeof raw === 'object' ? Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)])) : {};
}

/** One value of a KPI that reads query rows. */
function valueFromRows(kpi: PlannedKpi, rows: ReadonlyMap<string, QueryRows>, period: PeriodRef, slice: Dims, entity: EntityWords): Value {
  const raw = (name: string, at = period) => {
    const ref = kpi.components[name];
    if (!ref) return undefined;
    return rows.get(ref.query)?.get(ref, ms(at), slice);
  };
  const read = (name: string) => (kpi.components[name] ? Number(raw(name) ?? 0) : Number.NaN);
  switch (kpi.kind) {
    case 'reach': return reachValue(read, entity);
    case 'ratio': return ratioValue(read);
    case 'share': return shareValue(read, kpi);
    case 'score': return scoreValue(histogram(raw('distribution')), kpi);
    case 'index': return indexValue(read, entity);
    case 'attainment': return attainmentValue(read);
    case 'reengagement': return reengagementValue(read, entity);
    case 'cap': return capValue(read, entity);
    case 'stage': return stageValue(read, kpi, entity);
    case 'funnel': return funnelValue(read, kpi);
    case 'growth': {
      const compared = (kpi.settings.comparison as Record<string, PeriodRef>)[period.label]!;
      const comparisonLabel = compared.label;
      const current = Number(raw('value') ?? 0);
      const comparison = Number(raw('value', compared) ?? 0);
      const support = kpi.components.support ? Number(raw('support') ?? 0) : current;
      const components = { current, comparison, comparison_period: comparisonLabel };
      return comparison === 0 ? { value: null, reason: `nothing to compare with: 0 in ${comparisonLabel}`, n: support, components } : { value: current / comparison - 1, n: support, components };
    }
    default: throw new Error(`${kpi.kind} KPIs are not computed from rows`);
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
    const formula = kpi.kind === 'derived' ? parseExpression(kpi.settings.expression as string) : undefined;
    const inputIds = formula && 'expr' in formula ? [...new Set(kpiRefs(formula.expr).map((r) => r.id))] : kpi.kind === 'benchmark' ? [kpi.settings.kpi as string] : [];
    const inputs = inputIds.map((id) => done.get(id)).filter((x): x is KpiValues => x !== undefined);
    const byInput = new Map(inputs.map((i) => [i.plan.id, new Map(i.slices.map((s) => [sliceKey(s.dims), s]))]));
    const inputValue = (id: string, slice: Dims, period: string) => {
      const s = byInput.get(id)?.get(sliceKey(slice));
      return s?.trend.find((t) => t.period === period);
    };
    const valueAt = (period: PeriodRef, slice: Dims): Value => {
      if (formula) return derivedValue(formula, slice, period.label, inputValue);
      if (kpi.kind === 'benchmark') return benchmarkValue(kpi, rows.get(kpi.components.rows!.query)!.rows, slice, period, kpi.settings.direction as 'higher' | 'lower', inputValue);
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

/** The former signature: the specs are no longer read (directions are in the plan). */
export function evaluatePlan(plan: Plan, _specs: unknown, rowsByQuery: ReadonlyMap<string, readonly Row[]>, entity: EntityWords = HCP_WORDS): KpiValues[] {
  return evaluate(plan, rowsByQuery, entity);
}

function derivedValue(parsed: ReturnType<typeof parseExpression>, slice: Dims, period: string, input: InputValue): Value {
  if (!('expr' in parsed)) return { value: null, reason: 'the formula does not parse', n: 0, components: {} };
  const used: Record<string, number | null> = {};
  let n = Infinity;
  const result = computeExpression(parsed.expr, (id) => {
    const v = input(id, slice, period);
    const value = typeof v?.value === 'number' ? v.value : null;
    used[id] = value;
    if (v) n = Math.min(n, v.n);
    return value;
  });
  const support = Number.isFinite(n) ? n : 0;
  return 'value' in result ? { value: result.value, n: support, components: { inputs: used } } : { value: null, reason: result.reason, n: support, components: { inputs: used } };
}
