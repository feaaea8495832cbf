import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiValues } from '../../src/evaluate/evaluate.js';
import { demoKpis, evaluateFixture, slice, type FixtureRow } from '../support/engine-fixture.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres.js';

/**
 * A rep visit that details two brands is one touch whose event rows carry two brands. It
 * counts once across brands and once in each of its brands: the compiler groups such
 * touches again from their rows (touchLevels), a branch PostgreSQL runs only when one exists.
 */
const hcps: FixtureRow[] = [
  { hcp_id: 'H1', country: 'DE', segment: 'growth', territory: 'T1', target: true },
  { hcp_id: 'H2', country: 'FR', segment: 'maintain', territory: 'T2', target: true },
];

type Event = [id: string, touch: string, hcp: string, at: string, channel: string, event: string, brand: string];
const events: Event[] = [
  ['e1', 'V1', 'H1', '2026-10-05 09:00:00', 'rep_visit', 'detailed', 'cardiora'], // one visit …
  ['e2', 'V1', 'H1', '2026-10-05 09:00:00', 'rep_visit', 'detailed', 'pulmivo'], // … detailing a second brand
  ['e3', 'M1', 'H1', '2026-10-07 10:00:00', 'email', 'opened', 'cardiora'],
  ['e4', 'M2', 'H2', '2026-10-08 10:00:00', 'email', 'opened', 'pulmivo'],
];
const interactions: FixtureRow[] = events.map(([event_id, message_id, hcp_id, occurred_at, channel, event, brand]) => ({
  event_id, message_id, hcp_id, occurred_at, channel, event, brand, bot: false,
}));

const kpis = demoKpis.filter((k) => k.id === 'frequency');

// CI always has PostgreSQL; elsewhere it needs Debian's package.
const engines = ['duckdb', ...(process.env.CI === 'true' || postgresAvailable() ? ['postgres' as const] : [])] as const;

describe.each(engines)('a touch on two brands, on %s', (engine) => {
  let server: TestPostgres | undefined;
  let v: Map<string, KpiValues>;
  beforeAll(async () => {
    if (engine === 'postgres') server = await startPostgres();
    v = await evaluateFixture({ hcps, interactions }, { period: '2026-10', asOf: '2026-11-15T00:00:00Z', kpis, postgres: server?.url });
  }, 60_000);
  afterAll(() => server?.stop());

  it('counts once across brands', () => {
    // Touches: H1 V1, M1; H2 M2 = 3 (the visit once, not once per brand) over 2 engaged HCPs = 1.5.
    expect(slice(v, 'frequency')).toMatchObject({ value: 3 / 2, components: { numerator: 3, denominator: 2 } });
  });

  it('counts once in each of its brands', () => {
    // cardiora: H1's V1 and M1 = 2 touches, 1 HCP = 2.
    expect(slice(v, 'frequency', { brand: 'cardiora' })).toMatchObject({ value: 2, components: { numerator: 2, denominator: 1 } });
    // pulmivo: H1's V1 and H2's M2 = 2 touches, 2 HCPs = 1.
    expect(slice(v, 'frequency', { brand: 'pulmivo' })).toMatchObject({ value: 1, components: { numerator: 2, denominator: 2 } });
  });
});
