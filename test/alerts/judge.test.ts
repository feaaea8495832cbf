import { describe, expect, it } from 'vitest';
import { judge, ownSpread, type Reading } from '../../src/alerts/judge.js';
import type { AlertCondition } from '../../src/model/alert.js';

/** An email open rate of 20 % in 2026-10, after these monthly values (oldest first). */
function reading(values: Array<number | null>, patch: Partial<Reading> = {}): Reading {
  const periods = values.map((_, i) => `2026-${String(10 - values.length + 1 + i).padStart(2, '0')}`);
  const trend = values.map((value, i) => ({ period: periods[i]!, value, n: 500 }));
  const value = values.at(-1) ?? null;
  const before = values.at(-2);
  return {
    id: 'email_open_rate', name: 'Email open rate', unit: 'percent', direction: 'higher', period: '2026-10', value, display: '', suppressed: false,
    status: { status: 'green', label: 'On target', symbol: '✓' } as Reading['status'], trend,
    ...(typeof before === 'number' ? { previous: { period: periods.at(-2)!, short: '', value: before, display: `${(before * 100).toFixed(1)}%`, delta: '', better: null } } : {}),
    ...patch,
  } as Reading;
}

const spreads = (k: number, vs: 'previous_period' | 'last_year' = 'previous_period'): AlertCondition => ({ kind: 'change', vs, beyond: { spreads: k } });

describe('an alert\'s condition on one KPI in one slice', () => {
  it('thresholds: below and above, in the KPI\'s unit', () => {
    expect(judge({ kind: 'below', threshold: 0.25 }, reading([0.3, 0.2]), 'month')).toEqual({ kind: 'breach', value: 0.2, threshold: 0.25, period: '2026-10', detail: 'Email open rate 20.0% in 2026-10, below 25.0%' });
    expect(judge({ kind: 'below', threshold: 0.2 }, reading([0.3, 0.2]), 'month')).toEqual({ kind: 'ok', value: 0.2, period: '2026-10', detail: 'Email open rate 20.0% in 2026-10, not below 20.0%' });
    expect(judge({ kind: 'above', threshold: 0.15 }, reading([0.3, 0.2]), 'month')).toMatchObject({ kind: 'breach', detail: 'Email open rate 20.0% in 2026-10, above 15.0%' });
  });

  it('a change beyond an amount, in the KPI\'s bad direction by default', () => {
    // 0.30 → 0.20: −10 pp, beyond 5 pp downwards.
    expect(judge({ kind: 'change', vs: 'previous_period', beyond: { amount: 0.05 } }, reading([0.3, 0.2]), 'month')).toMatchObject({
      kind: 'breach', threshold: 0.05, detail: 'Email open rate 20.0% in 2026-10, down 10.0 pp from 30.0% in 2026-09: more than 5.0 pp',
    });
    // 0.20 → 0.30 is a rise: good for an open rate, so no breach unless `direction: up` or `either`.
    expect(judge({ kind: 'change', vs: 'previous_period', beyond: { amount: 0.05 } }, reading([0.2, 0.3]), 'month').kind).toBe('ok');
    expect(judge({ kind: 'change', vs: 'previous_period', beyond: { amount: 0.05 }, direction: 'either' }, reading([0.2, 0.3]), 'month').kind).toBe('breach');
  });

  it('a change beyond k times the KPI\'s own spread of past changes, the judged move left out', () => {
    // Past values 0.20 0.22 0.20 0.22 0.20: changes +0.02 −0.02 +0.02 −0.02, mean 0,
    // sample variance 4 × 0.0004 ÷ 3 = 0.000533…, spread √0.000533 = 0.023094. 3 × spread = 0.069282.
    const steady = [0.2, 0.22, 0.2, 0.22, 0.2];
    expect(ownSpread([...steady, { value: 0 }].map((v) => (typeof v === 'number' ? { value: v } : v)))!.spread).toBeCloseTo(0.023094, 6);
    // 0.20 → 0.12: −8 pp > 6.93 pp: a breach. 0.20 → 0.14: −6 pp: not.
    const fell = judge(spreads(3), reading([...steady, 0.12]), 'month');
    expect(fell).toMatchObject({ kind: 'breach', value: 0.12, detail: 'Email open rate 12.0% in 2026-10, down 8.0 pp from 20.0% in 2026-09: more than 3 × its usual month-to-month move of 2.3 pp' });
    expect((fell as { threshold: number }).threshold).toBeCloseTo(0.069282, 6);
    expect(judge(spreads(3), reading([...steady, 0.14]), 'month')).toMatchObject({ kind: 'ok', detail: 'Email open rate 14.0% in 2026-10, down 6.0 pp from 20.0% in 2026-09: within 3 × its usual month-to-month move of 2.3 pp' });
  });

  it('says there is nothing to judge: a hidden value, no value, no earlier period, too short a history', () => {
    expect(judge(spreads(3), reading([0.2, 0.1], { suppressed: true }), 'month')).toEqual({ kind: 'no_data', period: '2026-10', reason: 'Email open rate in 2026-10 counts fewer HCPs than the minimum cell, so it is not judged' });
    expect(judge({ kind: 'below', threshold: 0.2 }, reading([0.2, null], { reason: 'no email was delivered' }), 'month')).toEqual({ kind: 'no_data', period: '2026-10', reason: 'Email open rate has no value for 2026-10 (no email was delivered)' });
    expect(judge(spreads(3), reading([0.2]), 'month')).toMatchObject({ kind: 'no_data', reason: 'Email open rate has no value for the period before to compare 2026-10 with' });
    // Three past changes (four values before the judged one) are one too few.
    expect(judge(spreads(3), reading([0.2, 0.22, 0.2, 0.22, 0.1]), 'month')).toMatchObject({ kind: 'no_data', reason: 'Email open rate has too short a history for its usual month-to-month move (needs 4 past changes)' });
  });

  it('a status condition reads the colour the scorecard would show', () => {
    const red = reading([0.3, 0.2], { status: { status: 'red', label: 'Off target', symbol: '✗' } as Reading['status'], target: { value: 0.3, display: '30.0%', from: 'kpi' } as Reading['target'] });
    expect(judge({ kind: 'status', statuses: ['red'] }, red, 'month')).toMatchObject({ kind: 'breach', threshold: 0.3, detail: 'Email open rate 20.0% in 2026-10: red against its target of 30.0%' });
    expect(judge({ kind: 'status', statuses: ['red'] }, reading([0.3, 0.2]), 'month').kind).toBe('ok');
  });

  it('a year-over-year spread compares like with like: changes twelve periods apart', () => {
    // 17 monthly values: 0.20 for months 0–11, then 0.22 0.18 0.22 0.18 (year-over-year +0.02 −0.02 +0.02 −0.02: spread 0.023094), then 0.10.
    // Judged: 0.10 against a year earlier (month 4 = 0.20): −10 pp beyond 3 × 2.3 pp.
    const history = [...Array(12).fill(0.2), 0.22, 0.18, 0.22, 0.18, 0.1].map((value) => ({ value }));
    const row = reading([0.18, 0.1], { last_year: { period: '2025-10', short: '', value: 0.2, display: '20.0%', delta: '', better: null } as Reading['last_year'] });
    expect(judge(spreads(3, 'last_year'), row, 'month', history)).toMatchObject({ kind: 'breach', detail: 'Email open rate 10.0% in 2026-10, down 10.0 pp from 20.0% in 2025-10: more than 3 × its usual year-over-year move of 2.3 pp' });
  });
});
