import { describe, expect, it } from 'vitest';
import { demoKpis, evaluateFixture, slice } from '../support/engine-fixture.js';

const kpis = demoKpis.filter((k) => k.id === 'nps' || k.id === 'nps_gap_to_leader');
const hcps = ['H1', 'H2', 'H3', 'H4', 'H5', 'H6'].map((hcp_id) => ({ hcp_id, country: 'DE', target: true }));
const answer = (id: string, hcp_id: string, brand: string, score: number) => ({ response_id: id, hcp_id, brand, survey: 'nps', score, responded_at: '2026-10-05 10:00:00' });
const responses = [
  answer('r1', 'H1', 'cardiora', 10), answer('r2', 'H2', 'cardiora', 9), answer('r3', 'H3', 'cardiora', 3),
  answer('r4', 'H4', 'neurexa', 10), answer('r5', 'H5', 'neurexa', 6),
];
// Each brand is benchmarked in its own market: no study rates all brands together.
const benchmarks = [
  { period: '2026-Q4', brand: 'cardiora', company: 'Competitor A', metric: 'nps', value: 40 },
  { period: '2026-Q4', brand: 'cardiora', company: 'Competitor B', metric: 'nps', value: 15 },
  { period: '2026-Q4', brand: 'neurexa', company: 'Competitor A', metric: 'nps', value: 10 },
  { period: '2026-Q4', brand: 'neurexa', company: 'Competitor C', metric: 'nps', value: -5 },
];
const run = (extra: typeof responses = []) => evaluateFixture({ hcps, responses: [...responses, ...extra], benchmarks }, { period: '2026-10', asOf: '2026-11-01T00:00:00Z', kpis });

describe('the NPS gap to the leader across all brands', () => {
  it('weights each brand\'s gap in its own market by its respondents, so the total has a value whenever every brand has one', async () => {
    const v = await run();
    // cardiora: 2 promoters − 1 detractor of 3 → NPS 33.33; leader 40 → gap −6.67.
    // neurexa: 1 promoter − 1 detractor of 2 → NPS 0; leader 10 → gap −10.
    expect(slice(v, 'nps_gap_to_leader', { brand: 'cardiora' }).value).toBeCloseTo(100 / 3 - 40, 9);
    expect(slice(v, 'nps_gap_to_leader', { brand: 'neurexa' }).value).toBeCloseTo(-10, 9);
    // All brands: (3 × −6.67 + 2 × −10) ÷ 5 = (−20 − 20) ÷ 5 = −8,
    // which is our pooled NPS 20 ((3 − 2) ÷ 5 × 100) minus the leaders weighted the same way, (3 × 40 + 2 × 10) ÷ 5 = 28.
    expect(slice(v, 'nps_gap_to_leader')).toMatchObject({ n: 5, components: { ours: 20, competitor: 28, benchmark_period: '2026-Q4' } });
    expect(slice(v, 'nps_gap_to_leader').value).toBeCloseTo(-8, 9);
  });

  it('has no value, and says why, when some respondents are in a brand no study covers', async () => {
    const v = await run([answer('r6', 'H6', 'pulmivo', 8)]);
    expect(slice(v, 'nps_gap_to_leader')).toMatchObject({ value: null, n: 6, reason: 'the nps benchmarks cover 5 of the 6 behind the total (by brand)' });
  });
});
