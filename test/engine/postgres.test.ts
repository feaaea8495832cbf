import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDatabase } from '../../src/engine/postgres/database.js';
import type { Results } from '../../src/spec/results.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres.js';
import { cachedSample, removeTempDirs, tempDir } from '../support/snapshots.js';

// CI always has PostgreSQL (.ci/run installs and starts it); elsewhere the tests need Debian's package.
const run = process.env.CI === 'true' || postgresAvailable();

/** Every number and text of every KPI and slice, by path: value, n, components, trend points. */
function leaves(results: Results): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (path: string, v: unknown) => {
    if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(`${path}.${k}`, x);
    else out.set(path, v);
  };
  for (const kpi of results.kpis) {
    walk(`${kpi.id}.period`, kpi.period);
    for (const slice of kpi.slices) walk(`${kpi.id}[${JSON.stringify(slice.dims)}]`, slice);
  }
  return out;
}

/** Counts must be equal; ratios and means may differ only in the last bits (1e-9 relative). */
const same = (a: unknown, b: unknown) => {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b)) return a === b;
    return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  }
  return a === b;
};

describe.runIf(run)('warehouse mode on PostgreSQL', () => {
  let server: TestPostgres;
  let snapshot: string;
  let env: Record<string, string>;
  let duck: Results;
  let warehouse: Results;

  beforeAll(async () => {
    server = await startPostgres();
    env = { DATABASE_URL: server.url };
    // Two years, so year-on-year growth and 13-period trends have data on both engines.
    snapshot = await cachedSample({ hcps: 600, months: 24, seed: 11, format: 'parquet', end: '2026-10' }, 'kpiops-pg-sample-');
    const loaded = await kpiops(['load-postgres', '-p', REPO, '--snapshot', snapshot, '--schema', 'equivalence', '-q'], env);
    expect(loaded.stderr).toMatch(/8 tables copied/);
    expect(loaded.code).toBe(0);
    const out = tempDir('kpiops-pg-out-');
    const a = await kpiops(['eval', '-p', REPO, '--snapshot', snapshot, '-q', '--out', join(out, 'duckdb.json')]);
    expect(a.code, a.stderr).toBe(0);
    const b = await kpiops(['eval', '-p', REPO, '--engine', 'postgres', '--schema', 'equivalence', '-q', '--out', join(out, 'postgres.json')], env);
    expect(b.code, b.stderr).toBe(0);
    duck = JSON.parse(readFileSync(join(out, 'duckdb.json'), 'utf8')) as Results;
    warehouse = JSON.parse(readFileSync(join(out, 'postgres.json'), 'utf8')) as Results;
  }, 240_000);

  afterAll(() => {
    server?.stop();
    removeTempDirs();
  });

  it('gives the same results as DuckDB for every KPI and slice of the demo catalog', async () => {
    expect(warehouse.snapshot).toEqual(duck.snapshot);
    expect(warehouse.kpis.map((k) => k.id)).toEqual(duck.kpis.map((k) => k.id));
    const a = leaves(duck);
    const b = leaves(warehouse);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    const differences = [...a].filter(([path, v]) => !same(v, b.get(path))).map(([path, v]) => `${path}: duckdb ${v}, postgres ${b.get(path)}`);
    expect(differences).toEqual([]);
    // A comparison of mostly empty results would prove little: every KPI has values, and there are many.
    for (const kpi of duck.kpis) expect(kpi.slices.some((s) => s.value !== null), kpi.id).toBe(true);
    expect(a.size).toBeGreaterThan(5000);
  });

  it('runs in a read-only session with a statement timeout', async () => {
    const db = await PostgresDatabase.connect({ url: server.url, statementTimeoutS: 1 });
    try {
      await expect(db.run('CREATE TABLE equivalence.written (x int)')).rejects.toThrow(/read-only transaction/);
      await expect(db.run('SELECT pg_sleep(3)')).rejects.toThrow(/statement timeout/);
    } finally {
      await db.close();
    }
  });

  it('binds a filter value crafted as SQL as data', async () => {
    const db = await PostgresDatabase.connect({ url: server.url });
    try {
      const [row] = await db.all<{ n: number }>('SELECT count(*) AS "n" FROM "equivalence"."interactions" WHERE "channel" = $1', ["x'); DROP TABLE equivalence.hcps; --"]);
      expect(row!.n).toBe(0);
      const [hcps] = await db.all<{ n: number }>('SELECT count(*) AS "n" FROM "equivalence"."hcps"');
      expect(hcps!.n).toBe(600);
    } finally {
      await db.close();
    }
  });

  it('names a missing table and column, and blocks only the KPIs reading them', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('DROP SCHEMA IF EXISTS broken CASCADE; CREATE SCHEMA broken');
    for (const t of ['hcps', 'interactions', 'responses', 'goals', 'content', 'benchmarks']) await client.query(`CREATE TABLE broken.${t} AS TABLE equivalence.${t}`);
    await client.query('ALTER TABLE broken.responses DROP COLUMN score');
    // As a warehouse's tables are (autovacuum analyses them): without statistics PostgreSQL plans blind.
    await client.query('ANALYZE');
    await client.end();
    const r = await kpiops(['eval', '-p', REPO, '--engine', 'postgres', '--schema', 'broken', '--as-of', '2026-11-01', '-q', '--out', join(tempDir('kpiops-pg-broken-'), 'r.json')], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no table or view broken.rx (source rx)');
    expect(r.stderr).toContain('broken.responses has no column score (declared for source responses in kpiops.yaml)');
    expect(r.stderr).toMatch(/not computed \(tables missing or empty in the warehouse\): .*trx_share \(rx\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an empty warehouse table covers no period: the KPIs reading it are not computed, named with the table, and the run exits 1', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('DROP SCHEMA IF EXISTS hollow CASCADE; CREATE SCHEMA hollow');
    for (const t of ['hcps', 'responses', 'goals', 'rx', 'content', 'benchmarks']) await client.query(`CREATE TABLE hollow.${t} AS TABLE equivalence.${t}`);
    await client.query('CREATE TABLE hollow.interactions AS TABLE equivalence.interactions WITH NO DATA');
    await client.query('ANALYZE');
    await client.end();
    const out = join(tempDir('kpiops-pg-hollow-'), 'r.json');
    const r = await kpiops(['eval', '-p', REPO, '--engine', 'postgres', '--schema', 'hollow', '--as-of', '2026-11-01', '-q', '--out', out], env);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('✖ hollow.interactions has no rows (source interactions), so it covers no period');
    expect(r.stderr).toMatch(/not computed \(tables missing or empty in the warehouse\): .*reach \(interactions\)/);
    const results = JSON.parse(readFileSync(out, 'utf8')) as Results;
    const total = (kpi: string) => results.kpis.find((k) => k.id === kpi)?.slices.find((s) => Object.keys(s.dims).length === 0);
    for (const kpi of ['reach', 'cei', 'stage_distribution']) {
      expect(total(kpi), kpi).toBeUndefined();
      expect(results.blocked, kpi).toContainEqual(expect.objectContaining({ kpi, table: 'interactions' }));
    }
    expect(total('nps')!.value).toBe(warehouse.kpis.find((k) => k.id === 'nps')!.slices.find((s) => Object.keys(s.dims).length === 0)!.value);
  });

  it('warns when a table has no statistics, since PostgreSQL then plans blind', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('DROP SCHEMA IF EXISTS fresh CASCADE; CREATE SCHEMA fresh');
    await client.query('CREATE TABLE fresh.hcps (LIKE equivalence.hcps) WITH (autovacuum_enabled = false)');
    await client.query('INSERT INTO fresh.hcps SELECT * FROM equivalence.hcps');
    await client.end();
    const r = await kpiops(['eval', '-p', REPO, '--engine', 'postgres', '--schema', 'fresh', '--as-of', '2026-11-01', '-q', '--out', join(tempDir('kpiops-pg-fresh-'), 'r.json')], env);
    expect(r.stderr).toContain('⚠ PostgreSQL has no statistics for fresh.hcps: it may plan these queries badly');
    const analysed = await kpiops(['eval', '-p', REPO, '--engine', 'postgres', '--schema', 'equivalence', '-q', '--out', join(tempDir('kpiops-pg-analysed-'), 'r.json')], env);
    expect(analysed.stderr).not.toContain('no statistics');
  });

  it('says where the URL goes when it is missing, and what failed when the server is unreachable', async () => {
    const none = await kpiops(['eval', '-p', REPO, '--engine', 'postgres'], { DATABASE_URL: undefined });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('the PostgreSQL connection URL goes in $DATABASE_URL');
    const other = await kpiops(['eval', '-p', REPO, '--engine', 'postgres'], { DATABASE_URL: 'mysql://analyst:secret@db/prod' });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('$DATABASE_URL must be a PostgreSQL URL starting with postgres:// (got one starting with "mysql:")');
    expect(other.stderr).not.toContain('secret');
    const down = await kpiops(['eval', '-p', REPO, '--engine', 'postgres'], { DATABASE_URL: 'postgres://kpiops:secret@127.0.0.1:1/postgres' });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot connect to PostgreSQL at 127\.0\.0\.1:1\/postgres as kpiops: .*ECONNREFUSED/);
    expect(down.stderr).not.toContain('secret');
  });
});
