import { describe, expect, it } from 'vitest';
import { backtest, summary } from '../../src/projection/backtest.js';
import { pastPeriods, percentile, projectEnd, ruleFor } from '../../src/projection/project.js';
import { spanOf } from '../../src/projection/span.js';
import { paceOf } from '../../src/scorecard/pace.js';
import type { TrendView } from '../../src/scorecard/view.js';

const CAL = { fiscalYearStart: 1 };
const words = { one: 'HCP', many: 'HCPs', a: 'an HCP' } as Parameters<typeof paceOf>[4];
const attainment = { measure: { kind: 'attainment' } } as Parameters<typeof paceOf>[0];
const month = (label: string) => new Date(`${label}-01T00:00:00Z`);
/** Consecutive months from `first`, with these values. */
const months = (first: string, values: Array<number | null>) => values.map((value, i) => {
  const d = month(first);
  return { start: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + i)), value };
});
const trendOf = (points: ReturnType<typeof months>): TrendView[] => points.map((p) => ({ period: p.start.toISOString().slice(0, 7), value: p.value, n: 500 }));

// Five past quarters, 2025-Q1 to 2026-Q1 (month 1, month 2, month 3), then April 2026, the
// first month of 2026-Q2, at 8%:
//   quarter   month 1  end    end ÷ month 1   × 0.08   month 1 ÷ end
//   2025-Q1   0.10     0.30   3.0             0.240    0.3333
//   2025-Q2   0.08     0.28   3.5             0.280    0.2857
//   2025-Q3   0.12     0.30   2.5             0.200    0.4
//   2025-Q4   0.10     0.32   3.2             0.256    0.3125
//   2026-Q1   0.05     0.20   4.0             0.320    0.25
// Sorted projections 0.200, 0.240, 0.256, 0.280, 0.320. Percentile rank p(n + 1) = p × 6:
// median rank 3 → 0.256; 10th rank 0.6, held to 1 → 0.200; 90th rank 5.4, held to 5 → 0.320.
// Five periods hold one more value between their smallest and largest with chance 4 ÷ 6 = 2/3.
// The curve: median of month 1 ÷ end = 0.3125; against a 30% target, 9.375% due by now.
const history = months('2025-01', [0.10, 0.2, 0.30, 0.08, 0.2, 0.28, 0.12, 0.2, 0.30, 0.10, 0.2, 0.32, 0.05, 0.2, 0.20, 0.08]);
// April's share of 2026-Q2 gone by: 30 of 91 days.
const APRIL_ELAPSED = 30 / 91;

describe('the end-of-period projection', () => {
  it('finds the quarter and the month\'s place in it from the goals\' mean share gone by', () => {
    expect(spanOf(month('2026-04'), APRIL_ELAPSED, 1)).toEqual({ name: 'quarter', months: 3, position: 1 });
    // 30 Apr is 120 of 365 days into the year (0.3288), 0.0009 from the quarter's 0.3297: the nearer wins.
    expect(spanOf(month('2026-04'), 120 / 365, 1)).toEqual({ name: 'year', months: 12, position: 4 });
    // A fiscal year from April: April is the first month of fiscal Q1 and of the fiscal year.
    expect(spanOf(month('2026-04'), APRIL_ELAPSED, 4)).toEqual({ name: 'quarter', months: 3, position: 1 });
    // Goals on their own 10-week cycles: no calendar span matches.
    expect(spanOf(month('2026-04'), 0.43, 1)).toBeUndefined();
  });

  it('projects a first month from five past quarters by the ratio rule, with their whole spread as the range', () => {
    const span = spanOf(month('2026-04'), APRIL_ELAPSED, 1)!;
    expect(ruleFor(span)).toBe('ratio');
    const past = pastPeriods(history, span, 1);
    expect(past.map((p) => [p.start.toISOString().slice(0, 7), p.atPosition, p.final])).toEqual([
      ['2025-01', 0.10, 0.30], ['2025-04', 0.08, 0.28], ['2025-07', 0.12, 0.30], ['2025-10', 0.10, 0.32], ['2026-01', 0.05, 0.20],
    ]);
    const p = projectEnd(0.08, past, { rule: 'ratio', cap: 1 })!;
    expect(p.value).toBeCloseTo(0.256, 12);
    expect(p.low).toBeCloseTo(0.200, 12);
    expect(p.high).toBeCloseTo(0.320, 12);
    expect(p.coverage).toBeCloseTo(2 / 3, 12);
    expect(p.periods).toBe(5);
    expect(p.share).toBeCloseTo(0.3125, 12);
  });

  it('says in the pace line where the value is heading, how likely the range is, and what is due by now on the KPI\'s own curve', () => {
    const slice = { dims: {}, value: 0.08, n: 500, components: { elapsed: APRIL_ELAPSED, on_pace_share: 0.25, new_goals: 500 }, trend: [] };
    const pace = paceOf(attainment, slice, 0.3, '2026-03', words, trendOf(history), CAL)!;
    expect(pace.projected).toMatchObject({ periods: 5, span: 'quarter' });
    expect(pace.projected!.expected_curve).toBeCloseTo(0.3 * 0.3125, 12);
    // 30/91 = 33.0% of the quarter gone. The straight line's share due by now, 0.3 × 30/91 = 9.9%,
    // is the row's target ("9.9% by now"), so the line gives only the curve's 9.4%.
    expect(pace.display).toBe('33.0% of the quarter gone · on pace for 25.6% by quarter end (67% range 20.0–32.0%, from 5 past quarters) · 9.4% due by now on their curve · 25.0% of HCPs on pace · goals began this period, so not compared with 2026-03');
  });

  it('projects a second month by the difference rule: what past quarters added in their last month', () => {
    // May 2026 at 20% (second month of 2026-Q2); the five quarters added 0.10, 0.08, 0.10,
    // 0.12, 0.00 after their second month (all at 0.2): projections 0.30, 0.28, 0.30, 0.32,
    // 0.20; sorted 0.20, 0.28, 0.30, 0.30, 0.32: median (rank 3) 0.30, range 0.20 to 0.32.
    const span = spanOf(month('2026-05'), 61 / 91, 1)!;
    expect(span).toEqual({ name: 'quarter', months: 3, position: 2 });
    expect(ruleFor(span)).toBe('difference');
    const p = projectEnd(0.2, pastPeriods([...history.slice(0, -1), ...months('2026-04', [0.08, 0.2])], span, 1), { rule: 'difference', cap: 1 })!;
    expect([p.value, p.low, p.high].map((x) => Number(x!.toFixed(12)))).toEqual([0.3, 0.2, 0.32]);
  });

  it('gives an estimate but no range from fewer than four past periods, and says why', () => {
    // The last three quarters only: projections 0.08 × 2.5, 3.2, 4.0 = 0.20, 0.256, 0.32; median 0.256.
    const slice = { dims: {}, value: 0.08, n: 500, components: { elapsed: APRIL_ELAPSED, on_pace_share: null, new_goals: 500 }, trend: [] };
    const pace = paceOf(attainment, slice, 0.3, undefined, words, trendOf(history.slice(6)), CAL)!;
    expect(pace.projected!.low).toBeUndefined();
    expect(pace.projected!.value).toBeCloseTo(0.256, 12);
    expect(pace.display).toContain('on pace for 25.6% by quarter end (from 3 past quarters, too few for a range)');
  });

  it('projects nothing in the first month of the first quarter it has, and says there is no past quarter', () => {
    const slice = { dims: {}, value: 0.1, n: 500, components: { elapsed: 31 / 90, on_pace_share: 0.2, new_goals: 500 }, trend: [] };
    const pace = paceOf(attainment, slice, 0.3, undefined, words, trendOf(months('2025-01', [0.1])), CAL)!;
    expect(pace.projected).toBeUndefined();
    expect(pace.projection_note).toBe('no complete past quarter to project from');
    expect(pace.display).toBe('34.4% of the quarter gone · no complete past quarter to project from · 20.0% of HCPs on pace');
  });

  it('reads percentiles as a prediction interval: rank p(n + 1), held to the smallest and largest', () => {
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    // Rank 0.1 × 11 = 1.1 → 1 + 0.1 × (2 − 1); rank 9.9 → 9 + 0.9 × (10 − 9).
    expect(percentile(ten, 0.1)).toBeCloseTo(1.1, 12);
    expect(percentile(ten, 0.9)).toBeCloseTo(9.9, 12);
    expect(percentile([3, 1, 2], 0.1)).toBe(1);
  });

  it('back-tests leave-one-out: each quarter is projected from the other four and counted as held when its end falls in the range', () => {
    // At month 1 the ratios are 3.0, 3.5, 2.5, 3.2, 4.0. Left out, each quarter is projected from
    // the other four, whose spread (4 periods: smallest to largest) is the range:
    //   2025-Q1 0.10 × 2.5–4.0 = 0.25–0.40 holds 0.30;  2025-Q2 0.08 × 2.5–4.0 = 0.20–0.32 holds 0.28;
    //   2025-Q3 0.12 × 3.0–4.0 = 0.36–0.48 misses 0.30; 2025-Q4 0.10 × 2.5–4.0 = 0.25–0.40 holds 0.32;
    //   2026-Q1 0.05 × 2.5–3.5 = 0.125–0.175 misses 0.20.
    // 3 of 5: the quarters with the smallest and largest ratio cannot fall in the others' spread.
    const cases = backtest(history.slice(0, 15), 3, 1, 'ratio');
    const q3 = cases.find((c) => c.position === 1 && c.start.toISOString().startsWith('2025-07'))!;
    expect([q3.low, q3.high].map((x) => Number(x!.toFixed(12)))).toEqual([0.36, 0.48]);
    expect(summary(cases).find((s) => s.position === 1)).toMatchObject({ cases: 5, ranged: 5, covered: 3 });
  });
});
