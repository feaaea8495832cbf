import { breachDirection, type AlertCondition } from '../model/alert.js';
import type { KpiModel } from '../model/kpi.js';
import { formatDelta, formatValue } from '../scorecard/format.js';
import type { KpiRow } from '../scorecard/view.js';
import type { Observation } from './lifecycle.js';

/** Past period-to-period changes needed before a KPI's own spread is trusted. */
export const MIN_SPREAD_CHANGES = 4;

/** What a condition reads of one KPI in one slice: the row a scorecard would show for it. */
export type Reading = Pick<KpiRow, 'id' | 'name' | 'unit' | 'direction' | 'period' | 'value' | 'display' | 'status' | 'trend' | 'previous' | 'last_year' | 'target' | 'suppressed' | 'reason'> & { digits?: number };

type Unit = KpiModel['unit'];

const GRAIN_WORDS: Record<string, string> = { week: 'week-to-week', month: 'month-to-month', rolling_7d: 'window-to-window', rolling_28d: 'window-to-window' };

/** Sample standard deviation (n − 1). */
function stdev(xs: readonly number[]): number {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
}

/**
 * The KPI's usual move: the standard deviation of its changes over `lag` periods in the trend
 * before the judged period (1: period to period; a year's periods: year over year). The
 * judged move itself is left out, so a collapse does not widen its own yardstick. Undefined
 * with fewer than `MIN_SPREAD_CHANGES` changes.
 */
export function ownSpread(trend: ReadonlyArray<{ value: number | null }>, lag = 1): { spread: number; changes: number } | undefined {
  const past = trend.slice(0, -1).map((t) => t.value);
  const changes: number[] = [];
  for (let i = lag; i < past.length; i += 1) {
    const [a, b] = [past[i - lag], past[i]];
    if (typeof a === 'number' && typeof b === 'number') changes.push(b - a);
  }
  return changes.length >= MIN_SPREAD_CHANGES ? { spread: stdev(changes), changes: changes.length } : undefined;
}

/** Periods in a year at a grain: how far back "a year earlier" is in a trend. */
export const PERIODS_PER_YEAR: Readonly<Record<string, number>> = { week: 52, month: 12, rolling_7d: 52, rolling_28d: 13 };

const crossed = (change: number, limit: number, direction: 'down' | 'up' | 'either') =>
  direction === 'down' ? change < -limit : direction === 'up' ? change > limit : Math.abs(change) > limit;

/**
 * One KPI in one slice against an alert's condition: a breach (with the value, the threshold
 * and a sentence saying what crossed), ok, or no data (with why). Pure. A value hidden by the
 * minimum cell is not judged: an alert never says more than a scorecard would show.
 */
export function judge(condition: AlertCondition, row: Reading, grain: string, history: ReadonlyArray<{ value: number | null }> = row.trend): Observation {
  const period = row.period;
  const unit = row.unit as Unit;
  const show = (x: number) => formatValue(x, unit, row.digits);
  if (row.suppressed) return { kind: 'no_data', period, reason: `${row.name} in ${period} counts fewer HCPs than the minimum cell, so it is not judged` };
  if (typeof row.value !== 'number') return { kind: 'no_data', period, reason: `${row.name} has no value for ${period}${row.reason ? ` (${row.reason})` : ''}` };
  const value = row.value;
  const head = `${row.name} ${show(value)} in ${period}`;
  switch (condition.kind) {
    case 'below':
      return value < condition.threshold
        ? { kind: 'breach', value, threshold: condition.threshold, period, detail: `${head}, below ${show(condition.threshold)}` }
        : { kind: 'ok', value, period, detail: `${head}, not below ${show(condition.threshold)}` };
    case 'above':
      return value > condition.threshold
        ? { kind: 'breach', value, threshold: condition.threshold, period, detail: `${head}, above ${show(condition.threshold)}` }
        : { kind: 'ok', value, period, detail: `${head}, not above ${show(condition.threshold)}` };
    case 'status': {
      const status = row.status.status;
      if (status !== 'green' && status !== 'amber' && status !== 'red') return { kind: 'no_data', period, reason: `${row.name} has no status for ${period} (${row.status.label.toLowerCase()})` };
      const target = row.target?.display;
      return (condition.statuses as string[]).includes(status)
        ? { kind: 'breach', value, threshold: typeof row.target?.value === 'number' ? row.target.value : value, period, detail: `${head}: ${status}${target ? ` against its target of ${target}` : ''}` }
        : { kind: 'ok', value, period, detail: `${head}: ${status}${target ? ` against its target of ${target}` : ''}` };
    }
    case 'change': {
      const base = condition.vs === 'last_year' ? row.last_year : row.previous;
      const words = condition.vs === 'last_year' ? 'a year earlier' : 'the period before';
      if (!base) return { kind: 'no_data', period, reason: `${row.name} has no value for ${words} to compare ${period} with` };
      const change = value - base.value;
      const direction = breachDirection(condition, { direction: row.direction === 'lower' ? 'lower' : 'higher' });
      let limit: number;
      let why: string;
      if ('amount' in condition.beyond) {
        limit = condition.beyond.amount;
        why = `more than ${formatDelta(0, limit, unit, row.digits).replace(/^[+−]/, '')}`;
      } else {
        const yearly = condition.vs === 'last_year';
        const own = ownSpread(history, yearly ? PERIODS_PER_YEAR[grain] ?? 0 : 1);
        const usual = `its usual ${yearly ? 'year-over-year' : GRAIN_WORDS[grain] ?? 'period-to-period'} move`;
        if (!own) return { kind: 'no_data', period, reason: `${row.name} has too short a history for ${usual} (needs ${MIN_SPREAD_CHANGES} past changes)` };
        limit = condition.beyond.spreads * own.spread;
        why = `more than ${condition.beyond.spreads} × ${usual} of ${formatDelta(0, own.spread, unit, row.digits).replace(/^[+−]/, '')}`;
      }
      const verb = change < 0 ? 'down' : 'up';
      if (!crossed(change, limit, direction)) return { kind: 'ok', value, period, detail: `${head}, ${verb} ${formatDelta(0, Math.abs(change), unit, row.digits).replace(/^[+±]/, '')} from ${base.display} in ${base.period}: within ${why.replace(/^more than /, '')}` };
      return { kind: 'breach', value, threshold: limit, period, detail: `${head}, ${verb} ${formatDelta(0, Math.abs(change), unit, row.digits).replace(/^\+/, '')} from ${base.display} in ${base.period}: ${why}` };
    }
  }
}
