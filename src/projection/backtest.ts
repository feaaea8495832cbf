import { MIN_INTERVAL_PERIODS, pastPeriods, projectEnd, type Rule } from './project.js';
import type { MonthPoint } from './project.js';

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
