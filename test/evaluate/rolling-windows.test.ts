import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgres, withTables } from '../../src/compile/dialects/index.js';
import type { Database } from '../../src/engine/duckdb/database.js';
import { PostgresDatabase } from '../../src/engine/postgres/database.js';
import { rollingPeriod } from '../../src/model/period.js';
import { evaluateResults, type EvaluateInput } from '../../src/pipeline/evaluate.js';
import type { Results } from '../../src/spec/results.js';
import { demoProject, fixtureDatabase, type FixtureRow } from '../support/engine-fixture.js';
import { validateWith } from '../support/demo-project.js';

/**
 * Reach and the email open rate over the last 7 complete days, through the real
 * compile → engine → evaluate pipeline, on a world small enough to count by hand: four
 * target HCPs (H1–H4) and one outside the target list (H5). The window judged ends at
 * D = 2026-12-03 00:00 UTC: [2026-11-26, 2026-12-03); the one before is [2026-11-19, 2026-11-26);
 * the one before that [2026-11-12, 2026-11-19).
 */
const hcps: FixtureRow[] = ['H1', 'H2', 'H3', 'H4', 'H5'].map((id, i) => ({ hcp_id: id, country: i % 2 ? 'FR' : 'DE', segment: 'growth', territory: 'T1', target: id !== 'H5' }));

let n = 0;
const row = (hcp: string, at: string, channel: 'email' | 'rep_visit', event: string, message = `M${++n}`): FixtureRow =>
  ({ event_id: `E${++n}`, message_id: message, hcp_id: hcp, occurred_at: at, channel, event, brand: 'cardiora' });

const interactions: FixtureRow[] = [
  // The data starts long before the trend, so every window of it is covered.
  row('H4', '2026-08-01 10:00:00', 'email', 'sent'),
  // Two windows back [11-12, 11-19): H1 opens one delivered email.
  row('H1', '2026-11-12 09:00:00', 'email', 'delivered', 'M8'), row('H1', '2026-11-13 09:00:00', 'email', 'opened', 'M8'),
  // The window before [11-19, 11-26): H3's visit at its very first instant; H2 opens two of
  // three delivered emails (H4 does not open its own); H1 is visited.
  row('H3', '2026-11-19 00:00:00', 'rep_visit', 'visited'),
  row('H2', '2026-11-20 09:00:00', 'email', 'delivered', 'M4'), row('H2', '2026-11-20 12:00:00', 'email', 'opened', 'M4'),
  row('H2', '2026-11-21 09:00:00', 'email', 'delivered', 'M5'), row('H2', '2026-11-22 12:00:00', 'email', 'opened', 'M5'),
  row('H4', '2026-11-24 09:00:00', 'email', 'delivered', 'M6'),
  row('H1', '2026-11-23 15:00:00', 'rep_visit', 'visited'),
  // The window judged [11-26, 12-03): H4's visit exactly at its start (the boundary: it counts
  // here, not in the window before); H1 opens one of the two delivered emails; H5 is visited
  // but is not on the target list.
  row('H4', '2026-11-26 00:00:00', 'rep_visit', 'visited'),
  row('H1', '2026-11-26 09:00:00', 'email', 'delivered', 'M1'), row('H1', '2026-11-27 10:00:00', 'email', 'opened', 'M1'),
  row('H2', '2026-11-28 10:00:00', 'email', 'delivered', 'M2'),
  row('H5', '2026-11-30 10:00:00', 'rep_visit', 'visited'),
  // At D itself: the next window's, so in none of the windows read.
  row('H3', '2026-12-03 00:00:00', 'email', 'delivered', 'M3'), row('H3', '2026-12-03 08:00:00', 'email', 'opened', 'M3'),
];

const window = rollingPeriod(new Date('2026-12-03T00:00:00Z'), 7);
const validated = validateWith([]);
const input = (db: EvaluateInput['db'], extra: Partial<EvaluateInput> = {}): EvaluateInput => ({
  validated, db, period: window, blocked: [], only: new Set(['reach', 'email_open_rate']),
  snapshot: { id: 'tiny', as_of: '2026-12-03T06:00:00.000Z', checksum: 'x' }, ...extra,
});

const total = (results: Results, kpi: string) => results.kpis.find((k) => k.id === kpi)!.slices.find((s) => Object.keys(s.dims).length === 0)!;
const byBrand = (results: Results, kpi: string) => results.kpis.find((k) => k.id === kpi)!.slices.find((s) => s.dims['brand'] === 'cardiora')!;

/** What both engines must give: the window, the window before and the one before that. */
function expectHandCounted(results: Results): void {
  expect(results.period).toEqual({ label: '2026-11-26..2026-12-02', grain: 'rolling_7d', start: '2026-11-26T00:00:00.000Z', end: '2026-12-03T00:00:00.000Z' });
  const reach = total(results, 'reach');
  // Reach in the window judged: H4 (visited at 11-26 00:00) and H1 (opened M1) of the 4 targets = 2/4 = 0.5.
  // H5's visit is not counted (not a target); H2's delivered email is not an engagement.
  expect([reach.value, reach.n]).toEqual([0.5, 4]);
  // The window before: H3 (visited at 11-19 00:00), H2 (opened M4, M5), H1 (visited) = 3/4 = 0.75.
  // Two back: H1 (opened M8) = 1/4 = 0.25. Had the 11-26 00:00 visit fallen in the window before,
  // it would read 4/4 and the window judged 1/4.
  expect(reach.trend.slice(-3).map((t) => [t.period, t.value])).toEqual([['2026-11-12..2026-11-18', 0.25], ['2026-11-19..2026-11-25', 0.75], ['2026-11-26..2026-12-02', 0.5]]);
  // Earlier windows have data (it starts 2026-08-01) and no engagement: 0/4 = 0.
  expect(reach.trend.slice(0, -3).map((t) => t.value)).toEqual(Array(10).fill(0));
  const open = total(results, 'email_open_rate');
  // Opened touches over delivered touches. Window judged: M1 opened of M1, M2 delivered = 1/2 = 0.5
  // (M3, delivered and opened at D and after, is not in it).
  expect(open.value).toBe(0.5);
  // Before: M4, M5 opened of M4, M5, M6 = 2/3; two back: M8 of M8 = 1/1 = 1; earlier: no email delivered, no value.
  expect(open.trend.slice(-3).map((t) => t.value)).toEqual([1, 2 / 3, 0.5]);
  expect(open.trend.slice(0, -3).map((t) => t.value)).toEqual(Array(10).fill(null));
  // Every event is cardiora's, so the brand slice is the total.
  expect(byBrand(results, 'email_open_rate').trend.map((t) => t.value)).toEqual(open.trend.map((t) => t.value));
}

describe('KPIs over rolling windows of 7 days, on DuckDB', () => {
  let db: Database;
  beforeAll(async () => {
    db = await fixtureDatabase({ hcps, interactions });
  });
  afterAll(() => db.close());

  it('gives reach and the email open rate of the window and of the windows before, counted by hand', async () => {
    expectHandCounted(await evaluateResults(input(db)));
  });

  it('reports the window and a trend of 13 windows back to back, each 7 days', async () => {
    const results = await evaluateResults(input(db));
    const kpi = results.kpis.find((k) => k.id === 'reach')!;
    expect(kpi.period).toEqual({ label: '2026-11-26..2026-12-02', start: '2026-11-26T00:00:00.000Z', end: '2026-12-03T00:00:00.000Z' });
    const trend = total(results, 'reach').trend.map((t) => t.period);
    expect(trend).toHaveLength(13);
    // 13 windows of 7 days end at D: the first starts 91 days before, on 2026-09-03.
    expect(trend[0]).toBe('2026-09-03..2026-09-09');
    expect(trend.at(-1)).toBe(kpi.period.label);
    const days = (label: string) => label.split('..').map((d) => Date.parse(`${d}T00:00:00Z`) / 86_400_000);
    for (let i = 1; i < trend.length; i++) expect(days(trend[i]!)[0]).toBe(days(trend[i - 1]!)[1]! + 1);
  });

  it('reads 28-day windows the same way', async () => {
    const results = await evaluateResults(input(db, { period: rollingPeriod(new Date('2026-12-03T00:00:00Z'), 28) }));
    const reach = total(results, 'reach');
    expect(results.period.label).toBe('2026-11-05..2026-12-02');
    // [11-05, 12-03) holds all of November's engagement from the 12th: H1, H2, H3, H4 = 4/4; H5 is no target.
    // The window before [10-08, 11-05) has none: 0/4.
    expect(reach.trend.slice(-2).map((t) => [t.period, t.value])).toEqual([['2026-10-08..2026-11-04', 0], ['2026-11-05..2026-12-02', 1]]);
    // Opens: M8, M4, M5, M1 of M8, M4, M5, M6, M1, M2 delivered = 4/6.
    expect(total(results, 'email_open_rate').value).toBe(4 / 6);
  });

  it('refuses a KPI whose kind is cut by the calendar, saying why, before running anything', async () => {
    await expect(evaluateResults(input(db, { only: new Set(['cei']) }))).rejects.toThrow(/cannot evaluate over a rolling window of days: cei: the engagement index reads trailing calendar months/);
  });
});

const pgUrl = process.env.KPIOPS_TEST_DATABASE_URL;
describe.runIf(pgUrl)('KPIs over rolling windows of 7 days, on PostgreSQL', () => {
  it('gives the same hand-counted numbers', async () => {
    const PG_TYPES = { string: 'TEXT', integer: 'BIGINT', number: 'DOUBLE PRECISION', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP' } as const;
    const schema = `kpiops_rolling_${process.pid}`;
    const db = await PostgresDatabase.connect({ url: pgUrl!, readOnly: false });
    try {
      await db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.run(`CREATE SCHEMA ${schema}`);
      for (const [source, spec] of Object.entries(demoProject.sources)) {
        const columns = Object.entries(spec.columns);
        await db.run(`CREATE TABLE ${schema}."${source}" (${columns.map(([c, s]) => `"${c}" ${PG_TYPES[s.type]}`).join(', ')})`);
        for (const r of ({ hcps, interactions } as Record<string, FixtureRow[]>)[source] ?? []) {
          await db.run(`INSERT INTO ${schema}."${source}" VALUES (${columns.map(([, s], i) => `CAST($${i + 1} AS ${PG_TYPES[s.type]})`).join(', ')})`, columns.map(([c]) => (r[c] === undefined || r[c] === null ? null : String(r[c]))));
        }
      }
      expectHandCounted(await evaluateResults(input(db, { dialect: withTables(postgres, { schema }) })));
    } finally {
      await db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await db.close();
    }
  }, 60_000);
});
