import { describe, expect, it } from 'vitest';
import type { KpiSpec } from '../../src/spec/kpi.js';
import { demoKpis, evaluateFixture, slice } from '../support/engine-fixture.js';

const nps = demoKpis.find((k) => k.id === 'nps')!;
const hcps = [{ hcp_id: 'H1', country: 'DE', target: true }];
const responses = [{ response_id: 'r1', hcp_id: 'H1', brand: 'cardiora', survey: 'nps', score: 9, responded_at: '2026-10-02 10:00:00' }];
const benchmarks = [
  { period: '2026-Q3', brand: 'cardiora', company: 'ours', metric: 'nps', value: 20 },
  { period: '2026-Q3', brand: 'cardiora', company: 'Competitor A', metric: 'nps', value: 23 },
  { period: '2026-Q3', brand: 'cardiora', company: 'Competitor B', metric: 'nps', value: 13 },
  { period: '2026-Q3', brand: 'cardiora', company: 'Competitor C', metric: 'nps', value: 35 },
  { period: '2026-Q4', brand: 'neurexa', company: 'Competitor A', metric: 'nps', value: 99 }, // another brand's study
  { period: '2027-Q1', brand: 'cardiora', company: 'Competitor A', metric: 'nps', value: 99 }, // a study starting after October 2026
  { period: '2026-Q3', brand: 'cardiora', company: 'Competitor A', metric: 'csat', value: 80 }, // another metric
];

const withTarget = (percentile: number, direction: KpiSpec['direction'] = 'higher'): KpiSpec => ({ ...nps, direction, target: { relative: { to: 'benchmark', percentile, metric: 'nps' } } });
const run = (kpi: KpiSpec) => evaluateFixture({ hcps, responses, benchmarks }, { period: '2026-10', asOf: '2026-11-01T00:00:00Z', kpis: [kpi] });

describe('targets relative to competitor benchmarks', () => {
  it('take the percentile of the competitors in the latest study, interpolated', async () => {
    // Competitors in 2026-Q3 (the latest study starting by 1 Oct 2026), worst to best: 13, 23, 35.
    const expectations: Array<[number, number]> = [
      [50, 23], // the middle one
      [75, 29], // rank 0.75 × 2 = 1.5: halfway between 23 and 35
      [100, 35], // the best
      [0, 13],
    ];
    for (const [p, value] of expectations) {
      const v = await run(withTarget(p));
      expect(slice(v, 'nps', { brand: 'cardiora' }).benchmark_target).toEqual({ value, percentile: p, study: '2026-Q3', competitors: 3 });
    }
  });

  it('rank competitors by the KPI\'s direction: for lower-is-better the best is the lowest', async () => {
    const v = await run(withTarget(100, 'lower'));
    expect(slice(v, 'nps', { brand: 'cardiora' }).benchmark_target?.value).toBe(13);
  });

  it('have no value for a slice the benchmarks are not split by, with the reason', async () => {
    const v = await run(withTarget(50));
    expect(slice(v, 'nps', { country: 'DE' }).benchmark_target).toEqual({ value: null, percentile: 50, competitors: 0, reason: 'the nps benchmarks are not split by country' });
    // The total mixes brands' studies: no single figure either.
    expect(slice(v, 'nps').benchmark_target).toMatchObject({ value: null, reason: 'no competitor nps benchmark up to 2026-10' });
  });
});
