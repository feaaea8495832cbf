import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/engine/duckdb/database.js';
import type { Explanation } from '../../src/explain/explain.js';
import { parsePeriod } from '../../src/model/period.js';
import { evaluateResults } from '../../src/pipeline/evaluate.js';
import { explainKpi } from '../../src/pipeline/explain.js';
import { modelOf, type Project } from '../../src/pipeline/project.js';
import { validateWith } from '../support/demo-project.js';
import { fixtureDatabase, type FixtureRow } from '../support/engine-fixture.js';

/**
 * A world small enough to explain by hand: four target HCPs, two in DE and two in FR,
 * over September and October 2026, through the real compile → DuckDB → evaluate pipeline.
 */
const hcps: FixtureRow[] = [
  { hcp_id: 'H1', country: 'DE', segment: 'growth', territory: 'DE-T1', target: true },
  { hcp_id: 'H2', country: 'DE', segment: 'growth', territory: 'DE-T1', target: true },
  { hcp_id: 'H3', country: 'FR', segment: 'maintain', territory: 'FR-T1', target: true },
  { hcp_id: 'H4', country: 'FR', segment: 'maintain', territory: 'FR-T1', target: true },
];

let event = 0;
const touch = (hcp: string, day: string, channel: 'rep_visit' | 'email', brand: string): FixtureRow => {
  event += 1;
  return { event_id: `E${event}`, message_id: `M${event}`, hcp_id: hcp, occurred_at: `${day} 10:00:00`, channel, event: channel === 'email' ? 'opened' : 'visited', brand };
};

// September: H1 is reached for both brands (a cardiora visit, a neurexa email), H3 for neurexa.
// October: H1 and H2 for cardiora, H3 for neurexa.
// An email sent (not opened) in August makes the data start before September, so September is complete.
const interactions: FixtureRow[] = [
  { event_id: 'E0', message_id: 'M0', hcp_id: 'H4', occurred_at: '2026-08-01 10:00:00', channel: 'email', event: 'sent', brand: 'cardiora' },
  touch('H1', '2026-09-10', 'rep_visit', 'cardiora'), touch('H1', '2026-09-11', 'email', 'neurexa'), touch('H3', '2026-09-12', 'email', 'neurexa'),
  touch('H1', '2026-10-10', 'rep_visit', 'cardiora'), touch('H2', '2026-10-11', 'rep_visit', 'cardiora'), touch('H3', '2026-10-12', 'email', 'neurexa'),
];

let answer = 0;
const nps = (hcp: string, day: string, score: number): FixtureRow => {
  answer += 1;
  return { response_id: `R${answer}`, hcp_id: hcp, brand: 'cardiora', survey: 'nps', score, responded_at: `${day} 09:00:00` };
};
// September: H1 10 (promoter), H3 3 (detractor). October: H1 9, H2 10 (promoters), H3 5 (detractor), H4 8 (passive).
// A CSAT answer in August makes the answers start before September.
const responses: FixtureRow[] = [{ response_id: 'R0', hcp_id: 'H4', brand: 'cardiora', survey: 'csat', score: 4, responded_at: '2026-08-01 09:00:00' }, nps('H1', '2026-09-05', 10), nps('H3', '2026-09-05', 3), nps('H1', '2026-10-05', 9), nps('H2', '2026-10-05', 10), nps('H3', '2026-10-05', 5), nps('H4', '2026-10-05', 8)];

let db: Database;
let project: Project;
beforeAll(async () => {
  db = await fixtureDatabase({ hcps, interactions, responses });
  const validated = validateWith([]);
  project = { ...validated, model: modelOf(validated) };
});
afterAll(() => db.close());

async function explained(kpi: string, by?: string[]): Promise<Explanation> {
  const out = await explainKpi({
    project, db, snapshot: { id: 'tiny', as_of: '2026-11-05T00:00:00.000Z', checksum: 'x' }, blocked: [], kpi,
    period: parsePeriod('2026-10', project.model.calendar)!, vs: 'previous', ...(by ? { by } : {}),
  });
  if ('problem' in out) throw new Error(out.problem);
  return out.explanation;
}
const dimension = (e: Explanation, name: string) => e.by.find((b) => b.dimension === name)!;
const contribution = (e: Explanation, dim: string, slice: string) => dimension(e, dim).contributions.find((c) => c.slice === slice)!;

describe('kpiops explain through the pipeline', () => {
  it('splits the change of reach exactly over the countries, an attribute of the HCP', async () => {
    const e = await explained('reach', ['country', 'brand']);
    // Reach: September 2 of 4 (H1, H3) = 0.5; October 3 of 4 (H1, H2, H3) = 0.75; change +0.25.
    expect(e).toMatchObject({ kpi: 'reach', period: '2026-10', compared_to: '2026-09', value: 0.75, previous: 0.5, change: 0.25 });
    // DE: 1/2 → 2/2, FR: 1/2 → 1/2; the weights stay 2/4 each, so no mix:
    // DE rate 0.5 × (1 − 0.5) = 0.25; FR rate 0.5 × 0 = 0.
    expect(dimension(e, 'country')).toMatchObject({ additive: true });
    expect(contribution(e, 'country', 'DE')).toEqual({ slice: 'DE', rate_effect: 0.25, mix_effect: 0, interaction: 0, total: 0.25 });
    expect(contribution(e, 'country', 'FR')).toEqual({ slice: 'FR', rate_effect: 0, mix_effect: 0, interaction: 0, total: 0 });
  });

  it('flags the brands as overlapping for reach, with each brand\'s own change and the residual', async () => {
    const e = await explained('reach', ['brand']);
    // Each brand slice is over all 4 targets. cardiora: September H1 (1/4) → October H1, H2 (2/4): +0.25.
    // neurexa: H1, H3 (2/4) → H3 (1/4): −0.25. With the earlier weights 4/8 each they explain
    // 0.5 × 0.25 + 0.5 × −0.25 = 0 of the +0.25: the residual is 0.25 (H1 counted in both brands in September).
    const brand = dimension(e, 'brand');
    expect(brand).toMatchObject({ additive: false, residual: 0.25, reason: 'an HCP can be in several brand slices, so the slices overlap' });
    expect(brand.contributions).toEqual([
      { slice: 'cardiora', rate_effect: null, mix_effect: null, interaction: null, total: 0.25 },
      { slice: 'neurexa', rate_effect: null, mix_effect: null, interaction: null, total: -0.25 },
    ]);
  });

  it('splits an NPS change into promoters and detractors, and over the countries', async () => {
    const e = await explained('nps', ['country']);
    // September: 2 answers, 1 promoter, 1 detractor → NPS 0. October: 4 answers, 2 promoters, 1 detractor → 25.
    expect(e).toMatchObject({ value: 25, previous: 0, change: 25 });
    // Promoters 100 × (2/4 − 1/2) = 0; detractors −100 × (1/4 − 1/2) = +25.
    expect(dimension(e, 'parts').contributions.map((c) => [c.slice, c.total])).toEqual([['detractors', 25], ['promoters', 0]]);
    // DE: NPS 100 → 100; FR: −100 (H3) → −50 (H3 detractor, H4 passive); weights 1/2 → 2/4 each:
    // FR rate 0.5 × (−50 − −100) = +25, DE 0.
    expect(contribution(e, 'country', 'FR')).toMatchObject({ rate_effect: 25, mix_effect: 0, interaction: 0, total: 25 });
    expect(contribution(e, 'country', 'DE')).toMatchObject({ total: 0 });
  });

  it('writes the same split into the results of a scorecard that opts in, as explain prints', async () => {
    // A monthly scorecard on the total, opting in to "what moved it" by country and brand.
    const card = ['version: kpiops/v1', 'id: all_brands', 'title: All brands', 'grain: month', 'kpis: [reach, nps]',
      'explain: {by: [country, brand]}', 'audience:', '  - {name: Ada Lovelace, email: ada@example.com}', ''].join('\n');
    const validated = validateWith([{ file: 'scorecards/all_brands.yaml', kind: 'scorecard', to: card }]);
    const results = await evaluateResults({
      validated, db, snapshot: { id: 'tiny', as_of: '2026-11-05T00:00:00.000Z', checksum: 'x' }, blocked: [], period: parsePeriod('2026-10', project.model.calendar)!,
    });
    const mine = results.explained!.filter((x) => x.scorecard === 'all_brands');
    expect(mine.map((x) => [x.kpi, x.slice])).toEqual([['reach', {}], ['nps', {}]]);
    for (const entry of mine) {
      const e = await explained(entry.kpi, ['country', 'brand']);
      expect([entry.period, entry.compared_to, entry.value, entry.previous]).toEqual([e.period, e.compared_to, e.value, e.previous]);
      for (const by of entry.by) {
        const theirs = dimension(e, by.dimension);
        expect([by.dimension, by.additive, by.contributions.map((c) => c.slice)]).toEqual([theirs.dimension, theirs.additive, theirs.contributions.map((c) => c.slice)]);
        expect(Math.abs(by.residual - theirs.residual)).toBeLessThan(1e-9);
        by.contributions.forEach((c, i) => {
          for (const k of ['rate_effect', 'mix_effect', 'interaction', 'total'] as const) {
            const [a, b] = [c[k], theirs.contributions[i]![k]];
            if (a === null || b === null) expect(a).toBe(b);
            else expect(Math.abs(a - b)).toBeLessThan(1e-9);
          }
        });
      }
    }
    // Reach by country as worked out above (DE rate +0.25); by brand the slices overlap, residual 0.25.
    expect(mine[0]!.by.find((b) => b.dimension === 'country')!.contributions[0]).toMatchObject({ slice: 'DE', total: 0.25 });
    expect(mine[0]!.by.find((b) => b.dimension === 'brand')).toMatchObject({ additive: false, residual: 0.25 });
  });
});
