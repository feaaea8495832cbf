import { describe, expect, it } from 'vitest';
import { ATTAINMENT_TREND_PERIODS, compile } from '../../src/compile/compile.js';
import { duckdb } from '../../src/compile/dialects/index.js';
import { normalize } from '../../src/model/normalize.js';
import { parsePeriod } from '../../src/model/period.js';
import { backtestReports } from '../../src/projection/backtest.js';
import { pastPeriods, projectEnd, ruleFor } from '../../src/projection/project.js';
import { spanOf } from '../../src/projection/span.js';
import { paceOf } from '../../src/scorecard/pace.js';
import type { TrendView } from '../../src/scorecard/view.js';
import { validateWith } from '../support/demo-project.js';
import { build, kpi, result, rowIn, slice } from '../support/results.js';

const CAL = { fiscalYearStart: 1 };
const words = { one: 'HCP', many: 'HCPs', a: 'an HCP' } as Parameters<typeof paceOf>[4];
const attainment = { measure: { kind: 'attainment' } } as Parameters<typeof paceOf>[0];
const month = (label: string) => new Date(`${label}-01T00:00:00Z`);
const label = (d: Date) => d.toISOString().slice(0, 7);
/** Consecutive months from `first`, with these values. */
const months = (first: string, values: number[]) => values.map((value, i) => {
  const d = month(first);
  return { start: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + i)), value };
});

// 30 months, 2024-05 to 2026-10 (October 2026, the first month of 2026-Q4, at 10%): the
// reported month and the 29 before it. 2024-05 and 2024-06 are the end of 2024-Q2, whose
// first month is not in the trend; then nine whole past quarters (month 1, month 2, end):
//   quarter   month 1  end    end ÷ month 1   × 0.10   month 1 ÷ end
//   2024-Q3   0.10     0.20   2.0             0.20     0.5
//   2024-Q4   0.08     0.20   2.5             0.25     0.4
//   2025-Q1   0.10     0.30   3.0             0.30     0.3333
//   2025-Q2   0.08     0.28   3.5             0.35     0.2857
//   2025-Q3   0.05     0.20   4.0             0.40     0.25
//   2025-Q4   0.10     0.22   2.2             0.22     0.4545
//   2026-Q1   0.10     0.28   2.8             0.28     0.3571
//   2026-Q2   0.10     0.32   3.2             0.32     0.3125
//   2026-Q3   0.10     0.38   3.8             0.38     0.2632
// Sorted projections 0.20 0.22 0.25 0.28 0.30 0.32 0.35 0.38 0.40. Percentile rank p(n + 1) = p × 10:
// median rank 5 → 0.30; 10th rank 1 → 0.20; 90th rank 9 → 0.40. Nine periods hold one more value
// between their smallest and largest with chance (9 − 1) ÷ (9 + 1) = 0.8.
// The curve: sorted month 1 ÷ end 0.25 0.2632 0.2857 0.3125 0.3333 …, median (rank 5) 1/3;
// against a 30% target, 10% due by now.
const QUARTERS: Array<[number, number]> = [[0.10, 0.20], [0.08, 0.20], [0.10, 0.30], [0.08, 0.28], [0.05, 0.20], [0.10, 0.22], [0.10, 0.28], [0.10, 0.32], [0.10, 0.38]];
const history = months('2024-05', [0.15, 0.25, ...QUARTERS.flatMap(([first, end]) => [first, 0.15, end]), 0.10]);
const trendOf = (points: typeof history): TrendView[] => points.map((p) => ({ period: label(p.start), value: p.value, n: 500 }));
// October's share of 2026-Q4 gone by: 31 of 92 days.
const OCTOBER_ELAPSED = 31 / 92;

describe('a goal-attainment trend deep enough for an 80% range', () => {
  it('projects October from nine past quarters in a 30-month trend: the 10th–90th percentiles said at 80%', () => {
    expect(history).toHaveLength(30);
    const span = spanOf(month('2026-10'), OCTOBER_ELAPSED, 1)!;
    expect(span).toEqual({ name: 'quarter', months: 3, position: 1 });
    const past = pastPeriods(history, span, 1);
    expect(past.map((p) => label(p.start))).toEqual(['2024-07', '2024-10', '2025-01', '2025-04', '2025-07', '2025-10', '2026-01', '2026-04', '2026-07']);
    const p = projectEnd(0.10, past, { rule: ruleFor(span), cap: 1 })!;
    expect(p.periods).toBe(9);
    expect(p.value).toBeCloseTo(0.30, 12);
    expect(p.low).toBeCloseTo(0.20, 12);
    expect(p.high).toBeCloseTo(0.40, 12);
    expect(p.coverage).toBe(0.8);
    expect(p.share).toBeCloseTo(1 / 3, 12);
  });

  it('says it in one short pace line: the quarter gone, where it is heading with its 80% range, the curve and the HCPs on pace', () => {
    const slice = { dims: {}, value: 0.1, n: 500, components: { elapsed: OCTOBER_ELAPSED, on_pace_share: 0.25, new_goals: 0 }, trend: [] };
    const pace = paceOf(attainment, slice, 0.3, '2026-09', words, trendOf(history), CAL)!;
    expect(pace.projected).toMatchObject({ periods: 9, span: 'quarter', coverage: 0.8 });
    expect(pace.projected!.expected_curve).toBeCloseTo(0.1, 12);
    // 31 ÷ 92 = 33.7%; the straight line's 0.3 × 31/92 = 10.1% is the row's target, not repeated here.
    expect(pace.display).toBe('33.7% of the quarter gone · on pace for 30.0% by quarter end (80% range 20.0–40.0%, from 9 past quarters) · 10.0% due by now on their curve · 25.0% of HCPs on pace');
  });

  it('needs 27 months before the reported one for nine past quarters at every month of the quarter, and no fewer', () => {
    expect(ATTAINMENT_TREND_PERIODS).toBe(27);
    // The last 28 points (2024-07 to 2026-10) still hold the nine: the 9th quarter back starts 27 months before October.
    const deep = history.slice(-(ATTAINMENT_TREND_PERIODS + 1));
    expect(pastPeriods(deep, { name: 'quarter', months: 3, position: 1 }, 1)).toHaveLength(9);
    // One month fewer loses 2024-Q3's first month, so its place: eight.
    expect(pastPeriods(deep.slice(1), { name: 'quarter', months: 3, position: 1 }, 1)).toHaveLength(8);
    // The second month of a quarter: November 2026 at 20%, 2024-08 to 2026-11 (27 before it) holds nine past quarters' second months.
    const november = [...history.slice(-ATTAINMENT_TREND_PERIODS), ...months('2026-11', [0.2])];
    expect(pastPeriods(november, { name: 'quarter', months: 3, position: 2 }, 1)).toHaveLength(9);
    expect(pastPeriods(november.slice(1), { name: 'quarter', months: 3, position: 2 }, 1)).toHaveLength(8);
  });
});

describe('what reports would have said (the bench\'s check of the stated chance)', () => {
  // Every first and second month of the 30 months whose quarter ends in them, projected from
  // the quarters before it in the trend a report gets.
  const said = (depth: number) => backtestReports(history, 3, 1, depth, 1).map((c) => ({ ...c, month: label(c.start) }));

  it('with 12 months before each report, every range comes from 4 past quarters and is said at 60%', () => {
    const cases = said(12);
    // 2025-05 (whose 2024-Q2 second month and end are in the trend) to 2026-08: 11 months.
    expect(cases.map((c) => c.month)).toEqual(['2025-05', '2025-07', '2025-08', '2025-10', '2025-11', '2026-01', '2026-02', '2026-04', '2026-05', '2026-07', '2026-08']);
    expect(cases.every((c) => c.periods === 4 && c.coverage === 0.6)).toBe(true);
  });

  it('with 27, the last months are said from 8 and 9 quarters, and checked against their real ends', () => {
    const cases = said(ATTAINMENT_TREND_PERIODS);
    // 2026-07 at 10%, from 2024-Q3 to 2026-Q2 (ratios 2.0 2.5 3.0 3.5 4.0 2.2 2.8 3.2): ranks 0.9 and 8.1
    // are held to the smallest and largest, 0.20–0.40, said at 7 ÷ 9; the end, 0.38, is in it.
    expect(cases.find((c) => c.month === '2026-07')).toMatchObject({ position: 1, periods: 8, held: true });
    expect(cases.find((c) => c.month === '2026-07')!.coverage).toBeCloseTo(7 / 9, 12);
    // 2026-08 at 15%, from 2024-Q2 to 2026-Q2, which added 0.10 0.05 0.05 0.15 0.13 0.05 0.07 0.13 0.17 after
    // their second month: 0.20–0.32 said at 80%; the end, 0.38, is not.
    expect(cases.find((c) => c.month === '2026-08')).toMatchObject({ position: 2, periods: 9, coverage: 0.8, held: false });
  });
});

describe('the compiled plan of the demo catalog', () => {
  const { files } = validateWith([]);
  const model = normalize({ project: files.project!.spec, channels: files.channels.map((c) => c.spec), kpis: files.kpis.map((k) => k.spec), scorecards: files.scorecards.map((s) => s.spec) });
  const plan = (period: string) => compile(model, duckdb, { period: parsePeriod(period)!, asOf: new Date('2026-11-01T00:00:00Z') });

  it('gives goal attainment by month 28 trend periods and a ratio KPI 13', () => {
    const kpis = plan('2026-10').kpis;
    const trend = (id: string) => kpis.find((k) => k.id === id)!.trend.map((p) => p.label);
    // 2024-07 … 2026-10: October 2026 and the 27 months before it.
    expect(trend('goal_attainment')).toHaveLength(28);
    expect(trend('goal_attainment')[0]).toBe('2024-07');
    expect(trend('email_ctor')).toHaveLength(13);
    expect(trend('email_ctor')[0]).toBe('2025-10');
  });

  it('reads the deeper history in goal attainment\'s own query only, so no shared scan reads more', () => {
    const { kpis, queries } = plan('2026-10');
    const ga = kpis.find((k) => k.id === 'goal_attainment')!;
    expect([...new Set(Object.values(ga.components).map((c) => c.query))]).toEqual(['goal_attainment:goals']);
    const feeds = queries.filter((q) => q.id !== 'goal_attainment:goals').flatMap((q) => q.feeds);
    expect(feeds.filter((f) => f.startsWith('goal_attainment:'))).toEqual([]);
  });

  it('keeps 13 periods for goal attainment by week, which is never projected', () => {
    expect(plan('2026-W43').kpis.find((k) => k.id === 'goal_attainment')!.trend).toHaveLength(13);
  });
});

describe('a goal-attainment row with the deep trend', () => {
  // The 30 months above as one brand's slice, against a 30% target for the quarter.
  const goals = kpi('goal_attainment', { target: { value: 0.3 } });
  const deep = result(goals, [slice({ brand: 'cardiora' }, history.map((p) => p.value), { components: { goals: 500, on_pace: 125, on_pace_share: 0.25, elapsed: OCTOBER_ELAPSED, new_goals: 0 } })]);
  const row = rowIn(build([goals], [deep])[0]!, 'goal_attainment');

  it('shows the last 13 points and compares with the same month last year from them', () => {
    expect(row.trend.map((t) => t.period)).toEqual(['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
    // 2025-10 was 2025-Q4's first month, at 10%: 10% − 10% = ±0.
    expect(row.last_year).toMatchObject({ period: '2025-10', value: 0.1 });
  });

  it('projects from the whole trend: nine past quarters and an 80% range', () => {
    expect(row.pace?.projected).toMatchObject({ periods: 9, coverage: 0.8 });
    expect(row.pace?.display).toContain('on pace for 30.0% by quarter end (80% range 20.0–40.0%, from 9 past quarters)');
  });
});
