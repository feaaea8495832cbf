import type { KpiModel } from '../model/kpi.js';
import { parseRollingPeriod } from '../model/rolling.js';
import { parsePeriod, yearBefore, shift, type Calendar } from '../model/period.js';
import type { KpiResultSpec } from '../spec/results.js';
import { anomalyOf } from './anomaly.js';
import type { ScorecardContext } from './context.js';
import { formatAgainst, formatDelta, formatMix, formatValue, label, scaleDigits, shortPeriod } from './format.js';
import { paceOf } from './pace.js';
import { minCellOf } from './privacy.js';
import { sameDims } from './slice.js';
import { staleWords } from './stale-words.js';
import { statusOf } from './status.js';
import { statusView } from './status-words.js';
import { resolveTarget, type Dims } from './target.js';
import { isNumber, type Comparison, type KpiRow, type TrendView, type Value } from './view.js';

type Slice = KpiResultSpec['slices'][number];

/**
 * Points of a trend a row shows (sparkline, its alt text, the anomaly flag, last year's value):
 * the reported period and the 12 before it, a year of months and the same month last year.
 */
export const SHOWN_TREND_POINTS = 13;

/** The label of the same period a year earlier, or of the period before. */
function periodLabels(label: string, calendar: Calendar) {
  // A window of days (an alert's rolling grain) steps back by its own length; a year before is 364 days.
  const p = parsePeriod(label, calendar) ?? parseRollingPeriod(label);
  if (!p) return {};
  return { previous: shift(p, 1, calendar).label, lastYear: p.grain === 'week' || p.grain === 'rolling_7d' ? undefined : yearBefore(p, calendar).label };
}

/** A mix of shares reads as its distance from the target mix (the shares themselves are listed below it). */
function mixDisplay(value: Value, distance: number | undefined): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return distance !== undefined ? `${formatValue(distance, 'percent')} off the mix` : 'see the mix';
}

function display(value: Value, unit: KpiModel['unit'], digits?: number): string {
  if (value === null) return '—';
  if (typeof value === 'object') return formatMix(value);
  return formatValue(value, unit, digits);
}

const digitsByResult = new WeakMap<KpiResultSpec, number>();
/** A score KPI's digits from every value it has in these results, every slice and period: its rows and cells read alike. */
function digitsOf(spec: KpiModel, result: KpiResultSpec): number | undefined {
  if (spec.unit !== 'score') return undefined;
  let digits = digitsByResult.get(result);
  if (digits === undefined) {
    digits = scaleDigits(result.slices.flatMap((s) => [s.value, ...s.trend.map((t) => t.value)]).filter(isNumber));
    digitsByResult.set(result, digits);
  }
  return digits;
}

function compare(spec: KpiModel, yearOf: string, period: string | undefined, current: Value, point: TrendView | undefined, digits: number | undefined): Comparison | undefined {
  if (!period || !point || point.period !== period || point.value === null || !isNumber(current)) return undefined;
  const d = current - point.value;
  return {
    period, short: shortPeriod(period, yearOf !== period.slice(0, 4)), value: point.value, display: formatValue(point.value, spec.unit, digits), delta: formatDelta(point.value, current, spec.unit, digits),
    better: d === 0 ? null : (d > 0) === (spec.direction === 'higher'),
  };
}

/** Promoters (9–10), passives (7–8) and detractors (0–6) of a 0–10 answer distribution. */
function npsGroups(components: Record<string, unknown>): KpiRow['distribution'] {
  const { promoters, passives, detractors, respondents } = components as Record<string, unknown>;
  if ([promoters, passives, detractors, respondents].every((x) => typeof x === 'number')) {
    return { promoters: promoters as number, passives: passives as number, detractors: detractors as number, respondents: respondents as number };
  }
  return undefined;
}

/** One KPI's row for one slice, outside any scorecard (for reviews: the value and status a slice would show). */
export function kpiRowFor(ctx: ScorecardContext, spec: KpiModel, result: KpiResultSpec, dims: Dims): KpiRow {
  const slice = result.slices.find((s) => sameDims(s.dims as Dims, dims));
  return kpiRow({ spec, result, slice, dims, ctx, minCell: minCellOf(ctx.project) });
}

export interface RowInput {
  spec: KpiModel;
  result: KpiResultSpec;
  slice: Slice | undefined;
  dims: Dims;
  ctx: ScorecardContext;
  minCell: number;
}

/** One KPI's row for one recipient's slice: value, status, target, comparisons, trend and flags, with the minimum cell applied. */
export function kpiRow({ spec, result, slice, dims, ctx, minCell }: RowInput): KpiRow {
  const reported = result.period.label;
  const { calendar } = ctx.project;
  const labels = periodLabels(reported, calendar);
  const digits = digitsOf(spec, result);
  // Goal attainment's trend reaches further back, for its projection only: the row shows the
  // last points, as every other KPI's.
  const points = slice?.trend ?? [];
  const recent = points.slice(-SHOWN_TREND_POINTS);
  const changes = (ctx.history?.get(spec.id) ?? []).flatMap((c) => {
    const p = recent.find((t) => {
      const tp = parsePeriod(t.period, calendar);
      return tp !== undefined && Date.parse(c.at) >= tp.start.getTime() && Date.parse(c.at) < tp.end.getTime();
    });
    return p ? [{ ...c, period: p.period }] : [];
  });
  const wholeTrend: TrendView[] = points.map((t) => {
    const hidden = t.n < minCell;
    const change = changes.filter((c) => c.period === t.period).at(-1);
    return {
      period: t.period, value: hidden || !isNumber(t.value) ? null : t.value, n: t.n,
      ...(hidden ? { suppressed: true as const } : {}), ...(t.provisional ? { provisional: true as const } : {}),
      ...(change ? { definition_change: { at: change.at, ...(change.commit ? { commit: change.commit } : {}), ...(change.subject ? { subject: change.subject } : {}) } } : {}),
    };
  });
  const trend = wholeTrend.slice(-SHOWN_TREND_POINTS);
  const value: Value = slice?.value ?? null;
  const n = slice?.n ?? 0;
  const lastYearPoint = trend.find((t) => t.period === labels.lastYear);
  const target = resolveTarget(spec, dims, { start: new Date(result.period.start), grain: parsePeriod(reported, calendar)?.grain ?? 'month' }, lastYearPoint?.value ?? (labels.lastYear ? null : undefined), calendar, slice?.benchmark_target);
  const full = 'none' in target ? undefined : target;
  const pace = paceOf(spec, slice, full?.value, labels.previous, ctx.project.words, wholeTrend, calendar);
  // Mid-period, the target a goal is held to is the share of it due by now.
  const resolved = full && pace ? { ...full, value: pace.expected } : full;
  const status = slice
    ? statusOf({
      value, n, direction: spec.direction, bands: spec.bands, minCell,
      ...(resolved ? { target: resolved.value } : {}),
      ...(spec.minSample !== undefined ? { minSample: spec.minSample } : {}), ...(result.stale ? { stale: true } : {}),
    })
    : { status: 'insufficient_data' as const, reason: 'this KPI is not computed for this slice' };
  const suppressed = status.status === 'suppressed';
  // A value and its target that differ never read the same (−13 against −13, "near target").
  const against = isNumber(value) && resolved && typeof resolved.value === 'number' ? formatAgainst(value, resolved.value, spec.unit, digits) : undefined;
  const shown = suppressed ? null : value;
  const anomaly = !suppressed && isNumber(value) ? anomalyOf(value, trend.slice(0, -1).map((t) => t.value)) : undefined;
  const distribution = !suppressed && slice ? npsGroups(slice.components) : undefined;
  const mix = !suppressed && value !== null && typeof value === 'object'
    ? Object.entries(value).map(([category, share]) => {
      const goal = resolved && typeof resolved.value === 'object' ? resolved.value[category] : undefined;
      return { category, label: label(category), share, display: `${formatValue(share, 'percent')}${goal !== undefined ? ` (target ${formatValue(goal, 'percent')})` : ''}` };
    })
    : undefined;
  return {
    id: spec.id, name: spec.name, description: spec.description, kind: spec.measure.kind, unit: spec.unit, ...(digits !== undefined ? { digits } : {}), direction: spec.direction,
    indicator: spec.indicator, stages: spec.stages, period: reported,
    value: shown, display: suppressed ? `fewer than ${minCell}` : mixDisplay(value, status.distance) ?? against?.value ?? display(value, spec.unit, digits), n, suppressed,
    ...(slice?.reason && !suppressed ? { reason: slice.reason } : {}),
    status: statusView(status.status, status.status === 'stale' && result.stale
      ? `shows ${reported}: ${staleWords(result.stale, ctx.results.snapshot.as_of, calendar, label)}`
      // A value the engine could not compute says why (the slice's reason), not only that there is none.
      : status.status === 'insufficient_data' && value === null && slice?.reason ? slice.reason : status.reason),
    ...(resolved ? { target: { value: resolved.value, display: pace ? `${against?.target ?? formatValue(pace.expected, spec.unit)} by now, ${formatValue(pace.full, spec.unit)} by the end` : typeof resolved.value === 'object' ? 'as below' : against?.target ?? display(resolved.value, spec.unit, digits), from: resolved.from, ...(resolved.detail ? { detail: resolved.detail } : {}) } } : {}),
    ...(pace && !suppressed ? { pace } : {}),
    ...('none' in target && spec.target ? { target_note: target.none } : {}),
    ...(suppressed ? {} : {
      // Attainment counts up from zero in each planning period: the end of the last one is no baseline.
      ...(pace?.new_goals ? {} : { previous: compare(spec, reported.slice(0, 4), labels.previous, value, trend.at(-2), digits) }),
      last_year: compare(spec, reported.slice(0, 4), labels.lastYear, value, lastYearPoint, digits),
    }),
    trend,
    ...(anomaly ? { anomaly } : {}),
    definition_changes: changes,
    ...(result.stale ? { stale: result.stale } : {}),
    ...(slice?.provisional ? { provisional: true as const } : {}),
    ...(distribution ? { distribution } : {}),
    ...(mix ? { mix } : {}),
  };
}
