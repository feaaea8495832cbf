import { MIN_INTERVAL_PERIODS, pastPeriods, projectEnd, ruleFor, type Rule } from './project.js';
import type { MonthPoint } from './project.js';
import { positionIn } from './span.js';

/** One held-out past period: its value at the place, the projection from the others, and its real end value. */
export interface BacktestCase {
  start: Date;
  position: number;
  today: number;
  final: number;
  value: number;
  low?: number;
  high?: number;
}

/**
 * Leave-one-out over a monthly history: for each complete planning period of `months` months
 * and each place in it before its end, project its end value from every other complete period
 * at the same place (as a report would from its past ones), and keep the real end value
 * beside the projection. A report only has earlier periods; using later ones too is what lets a
 * short history test every period.
 */
export function backtest(history: readonly MonthPoint[], months: number, fiscalYearStart: number, rule: Rule, cap?: number): BacktestCase[] {
  const cases: BacktestCase[] = [];
  // A month after every point: each period in the history counts as past.
  const last = history.at(-1);
  if (!last) return cases;
  const beyond: MonthPoint = { start: new Date(Date.UTC(last.start.getUTCFullYear(), last.start.getUTCMonth() + months)), value: null };
  for (let position = 1; position < months; position += 1) {
    const all = pastPeriods([...history, beyond], { name: 'quarter', months, position }, fiscalYearStart);
    for (const held of all) {
      const others = all.filter((p) => p !== held);
      const projection = projectEnd(held.atPosition, others, { rule, ...(cap !== undefined ? { cap } : {}) });
      if (!projection) continue;
      cases.push({
        start: held.start, position, today: held.atPosition, final: held.final, value: projection.value,
        ...(projection.low !== undefined && others.length >= MIN_INTERVAL_PERIODS ? { low: projection.low, high: projection.high! } : {}),
      });
    }
  }
  return cases;
}

/** Per place: cases, how many with a range held the real end value, and the mean absolute error of the estimate. */
export function summary(cases: readonly BacktestCase[]): Array<{ position: number; cases: number; ranged: number; covered: number; mae: number }> {
  const positions = [...new Set(cases.map((c) => c.position))].sort((a, b) => a - b);
  return positions.map((position) => {
    const at = cases.filter((c) => c.position === position);
    const ranged = at.filter((c) => c.low !== undefined);
    return {
      position, cases: at.length, ranged: ranged.length,
      covered: ranged.filter((c) => c.final >= c.low! && c.final <= c.high!).length,
      mae: at.reduce((sum, c) => sum + Math.abs(c.value - c.final), 0) / at.length,
    };
  });
}

/** One month a report would have projected: the chance its range was said with, and whether the real end fell in it. */
export interface ReportCase {
  start: Date;
  position: number;
  periods: number;
  coverage: number;
  held: boolean;
}

/**
 * The projections reports would have made, month by month: each month of the history before
 * the last of its planning period, projected as a report would from the complete periods in the
 * `depth` months before it (the trend it is given), by the rule `ruleFor` picks, and checked
 * against the period's real end. Only months whose projection has a range count. Unlike
 * `backtest`, no later period is used, so this is what a reader was told and what came of it.
 */
export function backtestReports(history: readonly MonthPoint[], months: number, fiscalYearStart: number, depth: number, cap?: number): ReportCase[] {
  const cases: ReportCase[] = [];
  const byMonth = new Map(history.map((p) => [p.start.getTime(), p.value]));
  history.forEach((today, i) => {
    const position = positionIn(today.start, months, fiscalYearStart);
    if (position === months || today.value === null) return;
    const end = byMonth.get(Date.UTC(today.start.getUTCFullYear(), today.start.getUTCMonth() + months - position));
    if (end === null || end === undefined) return;
    const span = { name: 'quarter' as const, months, position };
    const projection = projectEnd(today.value, pastPeriods(history.slice(Math.max(0, i - depth), i + 1), span, fiscalYearStart), { rule: ruleFor(span), ...(cap !== undefined ? { cap } : {}) });
    if (projection?.low === undefined) return;
    cases.push({ start: today.start, position, periods: projection.periods, coverage: projection.coverage!, held: end >= projection.low && end <= projection.high! });
  });
  return cases;
}
