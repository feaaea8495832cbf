import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { postgres, withTables } from '../../src/compile/dialects/index.js';
import { runPlan } from '../../src/engine/run-plan.js';
import { PostgresDatabase } from '../../src/engine/postgres/database.js';
import { evaluate, type KpiValues } from '../../src/evaluate/evaluate.js';
import { normalize } from '../../src/model/normalize.js';
import { parsePeriod } from '../../src/model/period.js';
import type { KpiSpec } from '../../src/spec/kpi.js';
import { located, validateWith } from '../support/demo-project.js';
import { demoProject, evaluateFixture, slice, type FixtureRow } from '../support/engine-fixture.js';

/**
 * The `average` measure on a world small enough to compute by hand, for October 2026.
 * Targets: H1, H2 (DE), H3, H5 (FR); H4 (FR) is not a target. H5 has no prescriptions.
 */
const hcps: FixtureRow[] = [
  { hcp_id: 'H1', country: 'DE', segment: 'growth', territory: 'T1', target: true },
  { hcp_id: 'H2', country: 'DE', segment: 'maintain', territory: 'T1', target: true },
  { hcp_id: 'H3', country: 'FR', segment: 'growth', territory: 'T2', target: true },
  { hcp_id: 'H4', country: 'FR', segment: 'growth', territory: 'T2', target: false },
  { hcp_id: 'H5', country: 'FR', segment: 'maintain', territory: 'T2', target: true },
];

const rx: FixtureRow[] = [
  { hcp_id: 'H1', brand: 'cardiora', month: '2026-10-01', nrx: 12, trx: 30, market_trx: 100 },
  { hcp_id: 'H1', brand: 'neurexa', month: '2026-10-01', nrx: 1, trx: 6, market_trx: 40 },
  { hcp_id: 'H2', brand: 'cardiora', month: '2026-10-01', nrx: 3, trx: 10, market_trx: 100 },
  { hcp_id: 'H3', brand: 'cardiora', month: '2026-10-01', nrx: 0, trx: 4, market_trx: 20 },
  { hcp_id: 'H4', brand: 'cardiora', month: '2026-10-01', nrx: 9, trx: 50, market_trx: 80 }, // not a target
  { hcp_id: 'H1', brand: 'cardiora', month: '2026-09-01', nrx: 4, trx: 5, market_trx: 50 }, // September
];

const kpi = (id: string, measure: Record<string, unknown>, dimensions: string[], extra: Partial<KpiSpec> = {}): KpiSpec => ({
  version: 'kpiops/v1', id, name: id, description: id, stages: ['conversion'], indicator: 'lagging', unit: 'count', direction: 'higher',
  measure: { kind: 'average', source: 'rx', column: 'trx', ...measure } as KpiSpec['measure'], dimensions, ...extra,
});

const kpis = () => [
  // The override asks for the brand × country slices too.
  kpi('trx_per_target', { population: { target: true } }, ['brand', 'country', 'segment'], { target: { value: 10, overrides: [{ where: { brand: 'cardiora', country: 'DE' }, value: 20 }] } }),
  kpi('cardiora_trx_per_hcp', { where: { brand: 'cardiora' } }, []),
];

let v: Map<string, KpiValues>;
beforeAll(async () => {
  v = await evaluateFixture({ hcps, rx }, { period: '2026-10', asOf: '2026-12-15T00:00:00Z', kpis: kpis() });
});

describe('average per HCP', () => {
  it('adds up the column per HCP of the population and divides by all of them, an HCP without rows counting as 0', () => {
    // Targets' October TRx: H1 30 + 6 = 36, H2 10, H3 4, H5 none (0); H4 (50) is not a target.
    // (36 + 10 + 4 + 0) / 4 targets = 12.5; n = the 4 targets.
    expect(slice(v, 'trx_per_target')).toMatchObject({ value: 50 / 4, n: 4, components: { total: 50, population: 4 } });
  });

  it('keeps the earlier period in the trend', () => {
    // September: H1 5 / 4 targets.
    expect(slice(v, 'trx_per_target').trend.find((t) => t.period === '2026-09')).toMatchObject({ value: 5 / 4, n: 4 });
  });

  it('slices by a column of the HCP table divide by that slice\'s population', () => {
    // DE: (36 + 10) / 2 = 23. FR: H3 4 + H5 0 = 4 over 2 targets (H4 is not one) = 2.
    expect(slice(v, 'trx_per_target', { country: 'DE' })).toMatchObject({ value: 23, n: 2 });
    expect(slice(v, 'trx_per_target', { country: 'FR' })).toMatchObject({ value: 2, n: 2, components: { total: 4, population: 2 } });
    // Segment maintain: H2 10 + H5 0 = 10 over 2.
    expect(slice(v, 'trx_per_target', { segment: 'maintain' })).toMatchObject({ value: 5, n: 2 });
  });

  it('slices by a column of the source divide each brand\'s total by the whole population, which has no brand', () => {
    // cardiora: 30 + 10 + 4 = 44 / 4 = 11; neurexa: 6 / 4 = 1.5. The brands add up to the total (11 + 1.5 = 12.5).
    expect(slice(v, 'trx_per_target', { brand: 'cardiora' })).toMatchObject({ value: 11, n: 4 });
    expect(slice(v, 'trx_per_target', { brand: 'neurexa' })).toMatchObject({ value: 1.5, n: 4 });
    // Both at once: DE cardiora (30 + 10) / 2 = 20.
    expect(slice(v, 'trx_per_target', { brand: 'cardiora', country: 'DE' })).toMatchObject({ value: 20, n: 2 });
  });

  it('adds up only the rows matching `where`, over every HCP when no population is given', () => {
    // cardiora rows in October: H1 30, H2 10, H3 4, H4 50 = 94, over all 5 HCPs = 18.8.
    expect(slice(v, 'cardiora_trx_per_hcp')).toMatchObject({ value: 94 / 5, n: 5 });
  });
});

describe('checking an average KPI', () => {
  const file = (unit: string, column: string) => `# yaml-language-server: $schema=../schemas/kpi.schema.json
version: kpiops/v1
id: trx_per_target
name: TRx per target HCP
description: Total prescriptions per target HCP in the month.
owner: "@demo-pharma/commercial-excellence"
stages: [conversion]
indicator: lagging
unit: ${unit}
direction: higher
measure: {kind: average, source: rx, column: ${column}, population: {target: true}}
dimensions: [brand, country]
`;
  const check = (unit: string, column: string) => validateWith([{ file: 'kpis/trx_per_target.yaml', to: file(unit, column) }]);

  it('accepts one with a count unit in the demo project', () => {
    expect(check('count', 'trx').diagnostics).toEqual([]);
  });

  it('tells that its values are counts when the unit is percent', () => {
    const found = check('percent', 'trx').diagnostics;
    expect(located({ diagnostics: found } as never)).toEqual(['kpis/trx_per_target.yaml:9:7 kpi/unit-kind']);
    expect(found[0]!.message).toBe('An average KPI\'s values are counts, so its unit must be "count" or "currency", not "percent".');
  });

  it('needs a numeric column to add up', () => {
    expect(located(check('count', 'brand'))).toEqual(['kpis/trx_per_target.yaml:11:46 kpi/column-type']);
  });
});

const pgUrl = process.env.KPIOPS_TEST_DATABASE_URL;
describe.runIf(pgUrl)('average per HCP on PostgreSQL', () => {
  it('gives the same values, supports and trends as DuckDB in every slice', async () => {
    const PG_TYPES = { string: 'TEXT', integer: 'BIGINT', number: 'DOUBLE PRECISION', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP' } as const;
    const schema = `kpiops_average_${process.pid}`;
    const db = await PostgresDatabase.connect({ url: pgUrl!, readOnly: false });
    try {
      await db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.run(`CREATE SCHEMA ${schema}`);
      for (const [source, rows] of Object.entries({ hcps, rx })) {
        const columns = Object.entries(demoProject.sources[source]!.columns);
        await db.run(`CREATE TABLE ${schema}."${source}" (${columns.map(([c, s]) => `"${c}" ${PG_TYPES[s.type]}`).join(', ')})`);
        for (const row of rows) {
          await db.run(`INSERT INTO ${schema}."${source}" VALUES (${columns.map(([, s], i) => `CAST($${i + 1} AS ${PG_TYPES[s.type]})`).join(', ')})`, columns.map(([c]) => (row[c] === undefined || row[c] === null ? null : String(row[c]))));
        }
      }
      const { files } = validateWith([]);
      const model = normalize({ project: demoProject, channels: files.channels.map((c) => c.spec), kpis: kpis(), scorecards: files.scorecards.map((c) => c.spec) });
      const plan = compile(model, withTables(postgres, { schema }), { period: parsePeriod('2026-10')!, asOf: new Date('2026-12-15T00:00:00Z') });
      const { rows } = await runPlan(db, plan);
      const onPostgres = new Map(evaluate(plan, rows).map((k) => [k.plan.id, k]));
      for (const [id, values] of v) {
        const theirs = onPostgres.get(id)!;
        expect(theirs.slices.map((s) => [s.dims, s.value, s.n, s.trend.map((t) => [t.period, t.value, t.n])]))
          .toEqual(values.slices.map((s) => [s.dims, s.value, s.n, s.trend.map((t) => [t.period, t.value, t.n])]));
      }
    } finally {
      await db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await db.close();
    }
  }, 120_000);
});
