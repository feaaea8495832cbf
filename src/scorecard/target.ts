import { parsePeriod, type Calendar, type Period } from '../model/period.js';
import type { KpiModel } from '../model/kpi.js';
import type { OverrideSpec, TargetValue } from '../spec/target.js';

/** A slice: dimension → value; a dimension it does not name is a total. */
export type Dims = Record<string, string | number | boolean | null>;

export interface ResolvedTarget {
  value: TargetValue;
  /** Where the target came from, for the reader ("target for DE", "ramp 2026-Q2", "last year + 10%"). */
  from: 'value' | 'override' | 'schedule' | 'last_year' | 'benchmark';
  /** The override's slice or the schedule's period, when one applied. */
  detail?: string;
  /** The grain whose own target applied (`target.grains`), when one did. */
  grain?: Period['grain'];
}

/** The override whose slice the given slice is inside, the one naming the most dimensions winning (validation forbids ties). */
export function matchingOverride(overrides: readonly OverrideSpec[], slice: Dims): OverrideSpec | undefined {
  const matches = overrides.filter((o) => Object.entries(o.where).every(([d, v]) => d in slice && slice[d] === v));
  return matches.sort((a, b) => Object.keys(b.where).length - Object.keys(a.where).length)[0];
}

/** The schedule entry of the latest period starting at or before the period's start. */
function scheduled(kpi: Pick<KpiModel, 'target'>, periodStart: Date, calendar: Calendar): [string, TargetValue] | undefined {
  const entries = Object.entries(kpi.target?.schedule ?? {})
    .map(([label, value]) => [label, value, parsePeriod(label, calendar)?.start.getTime()] as const)
    .filter((e): e is readonly [string, TargetValue, number] => e[2] !== undefined && e[2] <= periodStart.getTime())
    .sort((a, b) => b[2] - a[2]);
  return entries[0] ? [entries[0][0], entries[0][1]] : undefined;
}

export interface BenchmarkFigure {
  value: number | null;
  percentile: number;
  study?: string;
  competitors: number;
  reason?: string;
}

const overrideDetail = (o: OverrideSpec) => Object.entries(o.where).map(([d, v]) => `${d} ${v}`).join(', ');

/**
 * The target of a KPI for one slice and period. The period's grain entry, when the target
 * has one, decides alone (its override, else its value). Otherwise a slice override comes
 * first, then the schedule's latest entry, then a target relative to last year (the same
 * period's value, when there is one) or to competitor benchmarks (computed by the engine per
 * slice), then the plain value. Undefined, with the reason, when none applies.
 */
export function resolveTarget(kpi: Pick<KpiModel, 'target'>, slice: Dims, period: Pick<Period, 'start' | 'grain'>, lastYear: number | null | undefined, calendar: Calendar, benchmark?: BenchmarkFigure): ResolvedTarget | { none: string } {
  const target = kpi.target;
  if (!target) return { none: 'no target is set' };
  const own = target.grains?.[period.grain];
  if (own) {
    const match = matchingOverride(own.overrides ?? [], slice);
    if (match) return { value: match.value, from: 'override', detail: overrideDetail(match), grain: period.grain };
    if (own.value !== undefined) return { value: own.value, from: 'value', grain: period.grain };
    return { none: `no ${period.grain}ly target applies to this slice` };
  }
  const override = matchingOverride(target.overrides ?? [], slice);
  if (override) return { value: override.value, from: 'override', detail: overrideDetail(override) };
  const ramp = scheduled(kpi, period.start, calendar);
  if (ramp) return { value: ramp[1], from: 'schedule', detail: ramp[0] };
  if (target.relative?.to === 'last_year') {
    if (typeof lastYear !== 'number') return { none: 'the target is relative to last year, which has no value' };
    return { value: lastYear * (1 + target.relative.change), from: 'last_year', detail: `${target.relative.change >= 0 ? '+' : '−'}${Math.round(Math.abs(target.relative.change) * 1000) / 10}%` };
  }
  if (target.relative?.to === 'benchmark') {
    if (!benchmark) return { none: 'the target is relative to competitor benchmarks, which these results do not include' };
    if (benchmark.value === null) return { none: benchmark.reason ?? 'no competitor benchmark' };
    return { value: benchmark.value, from: 'benchmark', detail: `p${benchmark.percentile} of ${benchmark.competitors} competitor${benchmark.competitors === 1 ? '' : 's'}${benchmark.study ? `, study ${benchmark.study}` : ''}` };
  }
  if (target.value !== undefined) return { value: target.value, from: 'value' };
  return { none: 'no target applies to this period' };
}
