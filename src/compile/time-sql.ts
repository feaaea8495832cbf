import { isRolling, type EvalPeriod } from '../model/period.js';
import type { Parameters } from './filter.js';
import type { Relation } from './relation.js';

/** The source's time column. */
export const timeOf = (rel: Relation) => rel.own(rel.spec.time!);

/** Rows whose time is in [from, to). */
export function timeWindow(rel: Relation, params: Parameters, from: Date, to: Date): string {
  const time = timeOf(rel);
  return `${time} >= ${params.bind(from.toISOString(), 'timestamp')} AND ${time} < ${params.bind(to.toISOString(), 'timestamp')}`;
}

/**
 * The start of the period holding the row's time, for the grain of `periods` (the periods
 * the query reads). Calendar periods are the dialect's truncation; rolling windows are
 * not a truncation of anything, so they are cut by `windowStartOf`.
 */
export function periodStartOf(rel: Relation, params: Parameters, periods: readonly EvalPeriod[], time = timeOf(rel)): string {
  const first = periods[0]!;
  if (isRolling(first)) return windowStartOf(params, periods, time);
  // Only quarters depend on the fiscal year's start; an unused parameter would be an error.
  const shift = first.grain === 'quarter' ? params.bind(rel.model.calendar.fiscalYearStart - 1, 'integer') : '';
  return rel.dialect.periodStart(first.grain, time, shift);
}

/**
 * The start of the rolling window holding the row's time: `CASE WHEN t >= s AND t < e THEN
 * s … END` over the windows read, each boundary a bound timestamp (bound once, as windows
 * share them). Plain SQL every dialect runs alike. A row in no window (between the trend and
 * the windows a year back it is compared with) gets NULL, which no period's lookup reads.
 */
function windowStartOf(params: Parameters, periods: readonly EvalPeriod[], time: string): string {
  const windows = [...new Map(periods.map((p) => [p.start.getTime(), p])).values()].sort((a, b) => a.start.getTime() - b.start.getTime());
  // One query's windows come from one back-to-back series (a scan is per grain and first window), so none overlap.
  windows.forEach((w, i) => { if (i > 0 && w.start < windows[i - 1]!.end) throw new Error(`rolling windows ${windows[i - 1]!.label} and ${w.label} overlap in one query`); });
  const bound = new Map<number, string>();
  const at = (d: Date) => {
    if (!bound.has(d.getTime())) bound.set(d.getTime(), params.bind(d.toISOString(), 'timestamp'));
    return bound.get(d.getTime())!;
  };
  return `CASE ${windows.map((w) => `WHEN ${time} >= ${at(w.start)} AND ${time} < ${at(w.end)} THEN ${at(w.start)}`).join(' ')} END`;
}
