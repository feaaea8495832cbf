import { positionIn, type Span } from './span.js';

/** One reporting month of a KPI's trend: its first day (UTC) and value (null when unknown or hidden). */
export interface MonthPoint {
  start: Date;
  value: number | null;
}

/** One past planning period read at the reported month's place in it. */
export interface PastPeriod {
  /** First month of the past span. */
  start: Date;
  /** Its value at the same place as the reported month. */
  atPosition: number;
  /** Its value at its last month. */
  final: number;
}

export type Rule = 'ratio' | 'difference';

export interface Projection {
  /** Median of the past periods' projections. */
  value: number;
  /** 10th and 90th percentiles of them; absent with fewer than `MIN_INTERVAL_PERIODS` past periods. */
  low?: number;
  high?: number;
  /** Past periods projected from. */
  periods: number;
  /** Median share of its final value a past period had reached at this place (the KPI's own curve); absent when every final was 0. */
  share?: number;
}

/** Past periods needed for an 80 % interval: with fewer, the 10th and 90th percentiles are two of three numbers. */
export const MIN_INTERVAL_PERIODS = 4;

/**
 * Percentile by linear interpolation between closest ranks (the "R-7" rule, numpy's default):
 * rank h = (n − 1) p, between the values at ⌊h⌋ and ⌈h⌉ of the sorted list.
 */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (h - lo);
}

const monthIndex = (d: Date) => d.getUTCFullYear() * 12 + d.getUTCMonth();

/**
 * Every complete past planning period in the trend, read at the reported month's place:
 * the months before the reported month's own span, whose place and last month are both in the
 * trend with values. The reported month is the trend's last point.
 */
export function pastPeriods(points: readonly MonthPoint[], span: Span, fiscalYearStart: number): PastPeriod[] {
  const byMonth = new Map(points.map((p) => [monthIndex(p.start), p.value]));
  const reported = points.at(-1);
  if (!reported) return [];
  const ownStart = monthIndex(reported.start) - (span.position - 1);
  const out: PastPeriod[] = [];
  for (const p of points) {
    const i = monthIndex(p.start);
    if (i >= ownStart || positionIn(p.start, span.months, fiscalYearStart) !== span.position) continue;
    const final = byMonth.get(i + span.months - span.position);
    if (p.value === null || final === null || final === undefined) continue;
    out.push({ start: new Date(Date.UTC(p.start.getUTCFullYear(), p.start.getUTCMonth() - (span.position - 1))), atPosition: p.value, final });
  }
  return out;
}

/** One past period's projection of today's value to the end of the period. */
export function projectOne(today: number, past: PastPeriod, rule: Rule): number | undefined {
  if (rule === 'difference') return today + (past.final - past.atPosition);
  return past.atPosition > 0 ? today * (past.final / past.atPosition) : undefined;
}

/**
 * Where the value lands at the end of its planning period, from the KPI's own past periods at
 * the same place: each one's final ÷ value-at-this-place (the ratio rule) applied to today's
 * value, the median of those as the estimate and their 10th–90th percentiles as the 80 %
 * range. `cap` bounds everything (attainment cannot pass 1). Undefined with no past period.
 */
export function projectEnd(today: number, past: readonly PastPeriod[], options: { rule?: Rule; cap?: number } = {}): Projection | undefined {
  const rule = options.rule ?? 'ratio';
  const cap = (x: number) => (options.cap !== undefined ? Math.min(options.cap, x) : x);
  const used = past.filter((p) => projectOne(today, p, rule) !== undefined);
  const values = used.map((p) => cap(projectOne(today, p, rule)!));
  const shares = used.filter((p) => p.final > 0).map((p) => p.atPosition / p.final);
  if (values.length === 0) return undefined;
  return {
    value: percentile(values, 0.5),
    ...(values.length >= MIN_INTERVAL_PERIODS ? { low: percentile(values, 0.1), high: percentile(values, 0.9) } : {}),
    periods: values.length,
    ...(shares.length > 0 ? { share: percentile(shares, 0.5) } : {}),
  };
}
