import { describe, expect, it } from 'vitest';
import { anomalyOf } from '../../src/scorecard/anomaly.js';
import { bandsOf } from '../../src/model/normalize.js';
import { mixDistance, statusOf, type StatusInput } from '../../src/scorecard/status.js';
import { resolveTarget } from '../../src/scorecard/target.js';
import type { KpiSpec } from '../../src/spec/kpi.js';
import type { ThresholdsSpec } from '../../src/spec/target.js';
import { demoKpis } from '../support/engine-fixture.js';

const DEFAULTS = { mode: 'ratio' as const, green: 1.0, amber: 0.9 };
const base: Omit<StatusInput, 'bands'> = { value: 0.25, n: 500, target: 0.25, direction: 'higher', minCell: 11 };
/** A status input with the KPI's thresholds as written: its bands are the model's (`bandsOf`, the project default mirrored for lower is better). */
type Written = Partial<Omit<StatusInput, 'bands'>> & { thresholds?: ThresholdsSpec };
const statusFor = ({ thresholds, ...change }: Written) => {
  const input = { ...base, ...change };
  return statusOf({ ...input, bands: bandsOf({ direction: input.direction, ...(thresholds ? { thresholds } : {}) }, DEFAULTS) });
};

describe('status', () => {
  it.each<[string, Written, string]>([
    ['at the target, higher is better: green', {}, 'green'],
    ['90% of the target (0.225 of 0.25) is still amber', { value: 0.225 }, 'amber'],
    ['just under 90% of the target is red', { value: 0.2249 }, 'red'],
    ['lower is better, at the target: green', { direction: 'lower' }, 'green'],
    ['lower is better, 110% of the target (mirrored default 1.1): amber', { direction: 'lower', value: 0.275 }, 'amber'],
    ['lower is better, above 110% of the target: red', { direction: 'lower', value: 0.2751 }, 'red'],
    ['absolute bands, higher is better: 0.22 between amber 0.2 and green 0.25', { thresholds: { mode: 'absolute', green: 0.25, amber: 0.2 }, value: 0.22 }, 'amber'],
    ['absolute bands, lower is better: 0.04 at most green 0.05', { direction: 'lower', thresholds: { mode: 'absolute', green: 0.05, amber: 0.08 }, value: 0.04 }, 'green'],
    ['the KPI\'s own ratio bands for lower is better are used as written', { direction: 'lower', thresholds: { green: 1.0, amber: 1.2 }, value: 0.3 }, 'amber'],
    ['no target: no_target', { target: undefined }, 'no_target'],
    ['n under the minimum sample: insufficient_data', { minSample: 600 }, 'insufficient_data'],
    ['a null value: insufficient_data', { value: null }, 'insufficient_data'],
    ['n under the minimum cell size: suppressed, before anything else', { n: 10, minSample: 600, stale: true }, 'suppressed'],
    ['a lagging source behind: stale', { stale: true }, 'stale'],
    ['a ratio band on a negative target is not a colour', { target: -10, value: -5 }, 'no_target'],
  ])('%s', (_name, change, expected) => {
    expect(statusFor(change).status).toBe(expected);
  });

  it('the project default is mirrored for lower-is-better KPIs', () => {
    expect(bandsOf({ direction: 'higher' }, DEFAULTS)).toEqual({ mode: 'ratio', green: 1, amber: 0.9 });
    // 2 − 1.0 = 1.0 and 2 − 0.9 = 1.1: at most the target is green, at most 110% is amber.
    const lower = bandsOf({ direction: 'lower' }, DEFAULTS);
    expect(lower.green).toBe(1);
    expect(lower.amber).toBeCloseTo(1.1, 12);
  });

  it('a mix is judged by its distance from the target mix', () => {
    // |0.5 − 0.34| + |0.3 − 0.33| + |0.2 − 0.33| = 0.16 + 0.03 + 0.13 = 0.32, halved: 0.16 of the touches would have to move.
    expect(mixDistance({ in_person: 0.5, virtual: 0.3, digital_self_service: 0.2 }, { in_person: 0.34, virtual: 0.33, digital_self_service: 0.33 })).toBeCloseTo(0.16, 12);
    const mix = { ...base, value: { a: 0.5, b: 0.5 }, target: { a: 0.4, b: 0.6 }, thresholds: { mode: 'absolute' as const, green: 0.05, amber: 0.15 } };
    expect(statusFor(mix)).toMatchObject({ status: 'amber' }); // distance 0.1
    expect(statusFor({ ...mix, thresholds: undefined }).status).toBe('no_target'); // ratio bands cannot judge a mix
  });
});

describe('targets', () => {
  const openRate = demoKpis.find((k) => k.id === 'email_open_rate')!;
  const month = (start: string) => ({ start: new Date(`${start}T00:00:00Z`), grain: 'month' as const });
  const oct = month('2026-10-01');
  const cal = { fiscalYearStart: 1 };
  const kpi = (target: KpiSpec['target']): KpiSpec => ({ ...openRate, target });

  it('the override naming the most matching dimensions wins; others fall back to the value', () => {
    const k = kpi({ value: 0.25, overrides: [{ where: { country: 'DE' }, value: 0.22 }, { where: { country: 'DE', brand: 'cardiora' }, value: 0.3 }] });
    expect(resolveTarget(k, { country: 'DE', brand: 'cardiora' }, oct, undefined, cal)).toMatchObject({ value: 0.3, from: 'override' });
    expect(resolveTarget(k, { country: 'DE' }, oct, undefined, cal)).toMatchObject({ value: 0.22, from: 'override', detail: 'country DE' });
    expect(resolveTarget(k, { country: 'FR' }, oct, undefined, cal)).toMatchObject({ value: 0.25, from: 'value' });
    expect(resolveTarget(k, {}, oct, undefined, cal)).toMatchObject({ value: 0.25 });
  });

  it('a schedule uses the latest entry starting at or before the period', () => {
    const k = kpi({ value: 0.2, schedule: { '2026-Q3': 0.22, '2026-Q4': 0.24, '2027-Q1': 0.26 } });
    expect(resolveTarget(k, {}, oct, undefined, cal)).toMatchObject({ value: 0.24, from: 'schedule', detail: '2026-Q4' });
    expect(resolveTarget(k, {}, month('2026-09-01'), undefined, cal)).toMatchObject({ value: 0.22 });
    expect(resolveTarget(k, {}, month('2026-06-01'), undefined, cal)).toMatchObject({ value: 0.2, from: 'value' });
  });

  it('a grain with its own target uses only that target; other grains use the KPI\'s own', () => {
    const k = kpi({ value: 0.88, overrides: [{ where: { brand: 'cardiora' }, value: 0.44 }], schedule: { '2026-Q4': 0.9 }, grains: { week: { value: 0.35 }, quarter: { overrides: [{ where: { brand: 'cardiora' }, value: 0.7 }] } } });
    const week = { start: new Date('2026-10-19T00:00:00Z'), grain: 'week' as const };
    const q3 = { start: new Date('2026-07-01T00:00:00Z'), grain: 'quarter' as const };
    expect(resolveTarget(k, { territory: 'DE-T01' }, week, undefined, cal)).toEqual({ value: 0.35, from: 'value', grain: 'week' });
    // The week's entry has no override: the brand's monthly 0.44 does not leak into a week.
    expect(resolveTarget(k, { brand: 'cardiora' }, week, undefined, cal)).toEqual({ value: 0.35, from: 'value', grain: 'week' });
    expect(resolveTarget(k, { brand: 'cardiora' }, q3, undefined, cal)).toEqual({ value: 0.7, from: 'override', detail: 'brand cardiora', grain: 'quarter' });
    expect(resolveTarget(k, {}, q3, undefined, cal)).toEqual({ none: 'no quarterly target applies to this slice' });
    expect(resolveTarget(k, { brand: 'cardiora' }, oct, undefined, cal)).toEqual({ value: 0.44, from: 'override', detail: 'brand cardiora' });
    expect(resolveTarget(k, {}, oct, undefined, cal)).toMatchObject({ value: 0.9, from: 'schedule' });
  });

  it('a target relative to last year needs last year\'s value', () => {
    const k = kpi({ relative: { to: 'last_year', change: 0.1 } });
    expect((resolveTarget(k, {}, oct, 0.2, cal) as { value: number }).value).toBeCloseTo(0.22, 12); // 0.2 × 1.1
    expect(resolveTarget(k, {}, oct, null, cal)).toEqual({ none: 'the target is relative to last year, which has no value' });
  });
});

describe('anomalies', () => {
  const calm = [0.2, 0.21, 0.19, 0.2, 0.22, 0.18, 0.2, 0.21];
  it('a value far outside the trailing spread is flagged with its direction', () => {
    // median 0.2, absolute deviations 0, .01, .01, 0, .02, .02, 0, .01 → MAD 0.01; (0.12 − 0.2) ÷ (1.4826 × 0.01) ≈ −5.4.
    expect(anomalyOf(0.12, calm)).toMatchObject({ direction: 'down' });
    expect(anomalyOf(0.12, calm)!.score).toBeCloseTo(0.08 / 0.014826, 6);
  });
  it('an ordinary move is not, nor is anything with fewer than 6 earlier values', () => {
    expect(anomalyOf(0.23, calm)).toBeUndefined(); // 0.03 ÷ 0.0148 ≈ 2.0
    expect(anomalyOf(0.9, [0.2, 0.2, 0.2])).toBeUndefined();
  });
});
