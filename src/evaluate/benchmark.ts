import type { PeriodRef, PlannedKpi } from '../compile/plan.js';
import { parsePeriod } from '../model/period.js';
import { dimColumn } from '../compile/plan.js';
import type { Dims, Row } from './rows.js';
import type { InputValue, Value } from './values.js';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Our value minus the competitors' leader (best for the KPI's direction) or median, from
 * the benchmark rows of the slice (dimensions outside the slice must be empty in the row)
 * and of the latest benchmark period starting no later than the period.
 */
export function benchmarkValue(kpi: PlannedKpi, rows: readonly Row[], slice: Dims, period: PeriodRef, direction: 'higher' | 'lower', input: InputValue): Value {
  const ours = input(kpi.settings.kpi as string, slice, period.label);
  const dims = kpi.components.rows!.dims;
  const inSlice = rows.filter((r) => dims.every((d) => (d in slice ? r[dimColumn(d)] === slice[d] : r[dimColumn(d)] === null)));
  const start = Date.parse(period.start);
  const starts = new Map(inSlice.map((r) => [String(r.period), parsePeriod(String(r.period))?.start.getTime()]));
  const candidates = [...starts].filter(([, s]) => s !== undefined && s <= start).sort((a, b) => b[1]! - a[1]!);
  const chosen = candidates[0]?.[0];
  const competitors = inSlice.filter((r) => String(r.period) === chosen && r.company !== 'ours' && typeof r.value === 'number');
  const values = competitors.map((r) => r.value as number);
  const n = ours?.n ?? 0;
  if (values.length === 0) return { value: null, reason: `no competitor benchmark for ${period.label}`, n, components: { ours: ours?.value ?? null } };
  const best = direction === 'higher' ? Math.max(...values) : Math.min(...values);
  const figure = kpi.settings.against === 'median' ? median(values) : best;
  const leader = competitors.find((r) => r.value === best)?.company;
  const components = { ours: ours?.value ?? null, competitor: figure, ...(kpi.settings.against === 'leader' ? { leader } : {}), benchmark_period: chosen };
  if (typeof ours?.value !== 'number') return { value: null, reason: `${kpi.settings.kpi as string} has no value`, n, components };
  return { value: ours.value - figure, n, components };
}
