import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KpiModel } from '../../src/model/kpi.js';
import type { KpiResultSpec } from '../../src/spec/results.js';
import { targetHistory } from '../../src/targets/history.js';
import { targetPatch } from '../../src/targets/patch.js';
import { percentile } from '../../src/targets/percentile.js';
import { roundTo, stepFor } from '../../src/targets/rounding.js';
import { suggestTargets } from '../../src/targets/suggest.js';

/** A KPI with only what suggestions read. */
function kpi(over: Partial<KpiModel> = {}): KpiModel {
  return {
    id: 'open_rate', unit: 'percent', direction: 'higher', dimensions: ['brand'], bands: { mode: 'ratio', green: 1, amber: 0.9 },
    target: { value: 0.2, overrides: [{ where: { brand: 'a' }, value: 0.19 }] },
    ...over,
  } as KpiModel;
}

const months = (n: number, last = 10) => Array.from({ length: n }, (_, i) => `2026-${String(last - n + 1 + i).padStart(2, '0')}`);

/** A result whose total and brand `a` have these values in the months before 2026-10 (oldest first), then 0.5 in 2026-10 itself. */
function result(values: (number | null | Record<string, number>)[], n: number[] = values.map(() => 500)): KpiResultSpec {
  const labels = months(values.length + 1);
  const trend = [...values.map((value, i) => ({ period: labels[i]!, value, n: n[i]! })), { period: '2026-10', value: 0.5, n: 500 }];
  const slice = (dims: Record<string, string>) => ({ dims, value: trend.at(-1)!.value, n: 500, components: {}, trend });
  return {
    id: 'open_rate', name: 'Open rate', kind: 'ratio', unit: 'percent', direction: 'higher', indicator: 'leading', stages: [], definition_hash: 'x',
    period: { label: '2026-10', start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' },
    slices: [slice({}), slice({ brand: 'a' })],
  };
}

const options = { percentile: 60, periods: 6, grain: 'month' as const };
// Six months, sorted: 0.18, 0.20, 0.21, 0.22, 0.24, 0.30.
const six = [0.22, 0.18, 0.30, 0.21, 0.24, 0.20];

describe('the percentile and its rounding', () => {
  it('interpolates linearly between the two nearest values, as the recipe and DuckDB\'s quantile_cont do', () => {
    // Sorted 0.18, 0.20, 0.21, 0.22, 0.24, 0.30: the 60th sits at 0.6 × (6 − 1) = 3.0 → the 4th value, 0.22.
    expect(percentile(six, 60)).toBeCloseTo(0.22, 12);
    // The 50th at 0.5 × 5 = 2.5: halfway between 0.21 and 0.22 → 0.215.
    expect(percentile(six, 50)).toBeCloseTo(0.215, 12);
    // The 40th at 0.4 × 5 = 2.0 → the 3rd value, 0.21; the 70th at 3.5 → (0.22 + 0.24) / 2 = 0.23.
    expect(percentile(six, 40)).toBeCloseTo(0.21, 12);
    expect(percentile(six, 70)).toBeCloseTo(0.23, 12);
    expect(percentile([], 60)).toBeNull();
  });

  it('rounds percent KPIs to 1 pp from 10%, 0.5 pp from 1%, else 0.1 pp, and other units to two significant figures', () => {
    expect(stepFor('percent', 0.2143)).toBe(0.01);
    expect(stepFor('percent', 0.0374)).toBe(0.005);
    expect(stepFor('percent', 0.0027)).toBe(0.001);
    expect(stepFor('score', 68.3)).toBe(1);
    expect(stepFor('score', 4.94)).toBe(0.1);
    expect(stepFor('count', 1234)).toBe(100);
    expect(roundTo(0.2143, 0.01)).toBe(0.21);
    // 0.0374 / 0.005 = 7.48 → 7 × 0.005 = 0.035, printed without float residue.
    expect(roundTo(0.0374, 0.005)).toBe(0.035);
    expect(roundTo(1234, 100)).toBe(1200);
    // Halves go away from zero, on both sides: −12.5 → −13, 12.5 → 13.
    expect(roundTo(-12.5, 1)).toBe(-13);
    expect(roundTo(12.5, 1)).toBe(13);
  });
});

describe('suggestTargets', () => {
  it('suggests the 60th percentile of the periods before the reported one for the total and each brand, rounded to 1 pp', () => {
    // 2026-10 (0.5) is the reported month and is not in the window; the 60th of `six` is 0.22 → 0.22.
    const s = suggestTargets(kpi(), result([0.9, ...six]), options);
    expect(s.slices.map((x) => [x.slice, x.suggested, x.current])).toEqual([[{}, 0.22, 0.2], [{ brand: 'a' }, 0.22, 0.19]]);
    // The window is the 6 months before 2026-10: the 0.9 of 2026-03 falls outside it.
    expect(s.slices[0]!.periods.map((p) => p.period)).toEqual(['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09']);
  });

  it('takes the mirrored percentile for a lower-is-better KPI (the 40th when the 60th is asked for)', () => {
    // The 40th of `six` is 0.21 (see above).
    const s = suggestTargets(kpi({ direction: 'lower' }), result(six), options);
    expect(s.slices[0]).toMatchObject({ percentile: 40, suggested: 0.21 });
  });

  it('leaves out periods without a value or below min_sample, and suggests nothing when fewer than 6 remain', () => {
    const values = [0.22, null, 0.30, 0.21, 0.24, 0.20, 0.18, 0.25];
    const n = [500, 500, 90, 500, 500, 500, 500, 500];
    // Window of 8: 2026-03 has no value, 2026-04 has n 90 < 100; the other six, sorted 0.18, 0.20, 0.21, 0.22, 0.24, 0.25:
    // the 60th at 3.0 → 0.22.
    const s = suggestTargets(kpi({ minSample: 100 }), result(values, n), { ...options, periods: 8 });
    expect(s.slices[0]).toMatchObject({ suggested: 0.22, skipped: [{ period: '2026-03', why: 'no value' }, { period: '2026-04', why: 'n = 90, below min_sample 100' }] });
    const short = suggestTargets(kpi({ minSample: 100 }), result(values.slice(0, 6), n.slice(0, 6)), options);
    expect(short.slices[0]).toMatchObject({ suggested: null, reason: 'too little history: 4 of 6 with a usable value (left out: 2026-05 no value; 2026-06 n = 90, below min_sample 100), 6 needed' });
  });

  it('suggests only the total for a KPI judged by absolute bands, unless its overrides already address slices', () => {
    const absolute = { mode: 'absolute' as const, green: 0.2, amber: 0.1 };
    const s = suggestTargets(kpi({ bands: absolute, target: { value: 0.2 } }), result(six), options);
    expect(s.slices.map((x) => x.slice)).toEqual([{}]);
    expect(s.notes).toEqual(['its thresholds are absolute (green 0.2, amber 0.1): they, not the target, decide the status']);
    const withOverrides = suggestTargets(kpi({ bands: absolute }), result(six), options);
    expect(withOverrides.slices.map((x) => x.slice)).toEqual([{}, { brand: 'a' }]);
  });

  it('says when the results hold fewer periods than asked for', () => {
    const s = suggestTargets(kpi(), result(six.slice(0, 4)), { ...options, periods: 12 });
    expect(s.slices[0]!.reason).toBe('too little history: the results hold 4 of the 12 periods asked for; 4 of 4 with a usable value, 6 needed');
  });

  it('refuses a share KPI, whose value is a mix, and a KPI with a relative target', () => {
    const mix = suggestTargets(kpi(), result(six.map((v) => ({ a: v, b: 1 - v }))), options);
    expect(mix.refused).toMatch(/mix of shares/);
    expect(mix.slices).toEqual([]);
    const relative = suggestTargets(kpi({ target: { relative: { to: 'last_year', change: 0.1 } } }), result(six), options);
    expect(relative.refused).toMatch(/relative \(to: last_year\)/);
  });
});

describe('targetPatch', () => {
  it('writes a week\'s figures under target.grains.week and keeps the KPI\'s own target as written, one override a line', () => {
    const model = kpi();
    const text = targetPatch(model, 'kpis/open_rate.yaml', suggestTargets(model, result(six.map((v) => v / 2)), { ...options, grain: 'week' }));
    // Halved, the 60th is 0.11; the window's largest value is 0.15, so still 1 pp.
    expect(text).toContain('  overrides:\n    - {where: {brand: a}, value: 0.19}\n  grains:\n    week:\n');
    expect(parse(text)).toEqual({ target: { value: 0.2, overrides: [{ where: { brand: 'a' }, value: 0.19 }], grains: { week: { value: 0.11, overrides: [{ where: { brand: 'a' }, value: 0.11 }] } } } });
  });

  it('writes the target block to paste, a comment above each figure naming the percentile, the window and the rounding', () => {
    const model = kpi({ target: { value: 0.2, overrides: [{ where: { brand: 'a' }, value: 0.19 }], grains: { week: { value: 0.1 } } } });
    const text = targetPatch(model, 'kpis/open_rate.yaml', suggestTargets(model, result(six), options));
    expect(text).toBe([
      '# kpis/open_rate.yaml (open_rate, 2026-10)',
      'target:',
      '  # 60th percentile of 6 months (2026-04…2026-09): 0.22 → 0.22',
      '  value: 0.22',
      '  overrides:',
      '    # 60th percentile of 6 months (2026-04…2026-09): 0.22 → 0.22',
      '    - {where: {brand: a}, value: 0.22}',
      '  grains:',
      '    week:',
      '      value: 0.1',
      '',
    ].join('\n'));
    // What a reviewer pastes is the KPI's target with the week grain kept.
    expect(parse(text)).toEqual({ target: { value: 0.22, overrides: [{ where: { brand: 'a' }, value: 0.22 }], grains: { week: { value: 0.1 } } } });
  });
});

describe('targetHistory', () => {
  it('counts the periods a target was met, the way the KPI improves, leaving out periods without a value', () => {
    const values = [0.22, 0.18, null, 0.30, 0.21, 0.24];
    // Higher is better, target 0.22: 0.22, 0.30, 0.24 meet it (at or above); 5 periods have a value.
    expect(targetHistory(values, 0.22, 'higher')).toEqual({ met: 3, of: 5 });
    // Lower is better: 0.22, 0.18, 0.21 are at or below.
    expect(targetHistory(values, 0.22, 'lower')).toEqual({ met: 3, of: 5 });
    expect(targetHistory([null, null], 0.2, 'higher')).toEqual({ met: 0, of: 0 });
  });
});
