import { describe, expect, it } from 'vitest';
import { evaluateResults } from '../../src/pipeline/evaluate.js';
import { parsePeriod } from '../../src/model/period.js';
import type { Results } from '../../src/spec/results.js';
import { validateWith } from '../support/demo-project.js';
import { fixtureDatabase, type FixtureRow } from '../support/engine-fixture.js';

const demo = validateWith([]);
const hcps: FixtureRow[] = [
  { hcp_id: 'H1', country: 'DE', target: true },
  { hcp_id: 'H2', country: 'FR', target: true },
];
// Data from 1 September: September and October are covered by the rows (earlier months are not).
const responses: FixtureRow[] = [
  ...[10, 9, 3].map((score, i) => ({ response_id: `r${i}`, hcp_id: 'H1', brand: 'cardiora', survey: 'nps', score, responded_at: '2026-10-02 10:00:00' })),
  { response_id: 'r9', hcp_id: 'H2', brand: 'cardiora', survey: 'nps', score: 0, responded_at: '2026-09-01 10:00:00' },
];
const interactions: FixtureRow[] = [
  { event_id: 'e1', message_id: 'M1', hcp_id: 'H1', occurred_at: '2026-09-01 10:00:00', channel: 'email', event: 'opened' },
  { event_id: 'e2', message_id: 'M2', hcp_id: 'H2', occurred_at: '2026-10-10 10:00:00', channel: 'email', event: 'opened' },
];

/** Evaluates October 2026 on these tables (every other one empty), the way `kpiops eval` does on any engine. */
async function evaluate(data: Record<string, FixtureRow[]>, coverage: Record<string, string> = {}, starts?: Record<string, string>): Promise<Results> {
  const db = await fixtureDatabase(data);
  try {
    const snapshot = { id: 'fixture', as_of: '2026-11-01T00:00:00.000Z', checksum: 'x', coverage, ...(starts ? { coverage_start: starts } : {}) };
    return await evaluateResults({ validated: demo, db, snapshot, period: parsePeriod('2026-10')!, blocked: [] });
  } finally {
    db.close();
  }
}

const total = (results: Results, kpi: string) => results.kpis.find((k) => k.id === kpi)!.slices.find((s) => Object.keys(s.dims).length === 0)!;

describe('a table a KPI reads must have rows covering the period', () => {
  it('an empty interactions table leaves reach, the index and stages without a value and says why; KPIs on other tables are computed', async () => {
    const results = await evaluate({ hcps, responses });
    for (const kpi of ['reach', 'cei', 'stage_distribution', 'over_contact_rate']) {
      const slice = total(results, kpi);
      expect(slice, kpi).toMatchObject({ value: null, reason: 'table interactions has no rows' });
      expect(slice.trend.every((t) => t.value === null && t.reason === 'table interactions has no rows'), kpi).toBe(true);
    }
    // NPS reads responses only: October's (2 promoters − 1 detractor) ÷ 3 answers × 100.
    expect(total(results, 'nps')).toMatchObject({ value: 100 / 3, n: 3 });
  });

  it('with rows, the same KPIs are numbers (the check above is about emptiness, not this world)', async () => {
    const results = await evaluate({ hcps, responses, interactions });
    // October: H2 of the two target HCPs engaged.
    expect(total(results, 'reach')).toMatchObject({ value: 1 / 2, n: 2 });
  });

  it('a period ending after the manifest\'s coverage_end of a source is not a number; earlier ones are', async () => {
    const results = await evaluate({ hcps, responses, interactions }, { interactions: '2026-10-15', responses: '2026-10-31' });
    const reach = total(results, 'reach');
    expect(reach).toMatchObject({ value: null, reason: "the interactions data is complete to 2026-10-15 (the snapshot's coverage_end), before this period ends" });
    // September: H1 of 2 engaged, and the data covers all of it.
    expect(reach.trend.at(-2)).toMatchObject({ period: '2026-09', value: 1 / 2 });
    expect(total(results, 'nps')).toMatchObject({ value: 100 / 3 });
  });
});

describe('a period starting before a source\'s data starts is not computed', () => {
  // Interactions from 19 October: H1 opens two emails (19th and 20th), H2 none.
  const late: FixtureRow[] = [
    { event_id: 'e1', message_id: 'M1', hcp_id: 'H1', occurred_at: '2026-10-19 08:00:00', channel: 'email', event: 'opened' },
    { event_id: 'e2', message_id: 'M2', hcp_id: 'H1', occurred_at: '2026-10-20 08:00:00', channel: 'email', event: 'opened' },
  ];

  it('data whose first row is on the 19th leaves that month without a value, naming the source and the day', async () => {
    const reach = total(await evaluate({ hcps, responses, interactions: late }), 'reach');
    expect(reach).toMatchObject({ value: null, reason: 'the interactions data starts on 2026-10-19 (its first row), inside this period' });
  });

  it('the same start stated as coverage_start (as seal writes it) gives the same answer, naming coverage_start', async () => {
    const reach = total(await evaluate({ hcps, responses, interactions: late }, {}, { interactions: '2026-10-19' }), 'reach');
    expect(reach).toMatchObject({ value: null, reason: 'the interactions data starts on 2026-10-19 (coverage_start), inside this period' });
  });

  it('a coverage_start earlier than the first row makes the month computed: the data is complete from then', async () => {
    const results = await evaluate({ hcps, responses, interactions: late }, {}, { interactions: '2026-10-01' });
    // October: H1 engaged, H2 not: 1 of 2 target HCPs = 0.5.
    expect(total(results, 'reach')).toMatchObject({ value: 1 / 2, n: 2 });
    // September still starts before 1 October.
    expect(total(results, 'reach').trend.at(-2)).toMatchObject({ period: '2026-09', value: null, reason: 'the interactions data starts on 2026-10-01 (coverage_start), after this period ends' });
  });

  it('a coverage_start later than the first row leaves the periods before it uncomputed, though rows exist', async () => {
    // responses has rows from 1 September, but the survey only ran in full from 2 October.
    const nps = total(await evaluate({ hcps, responses, interactions }, {}, { responses: '2026-10-02' }), 'nps');
    expect(nps).toMatchObject({ value: null, reason: 'the responses data starts on 2026-10-02 (coverage_start), inside this period' });
    expect(nps.trend.at(-2)).toMatchObject({ period: '2026-09', value: null });
    // Without it, October is computed from the same rows: (2 promoters − 1 detractor) ÷ 3 × 100.
    expect(total(await evaluate({ hcps, responses, interactions }), 'nps')).toMatchObject({ value: 100 / 3 });
  });
});
