import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres.js';
import { cachedSample, removeTempDirs } from '../support/snapshots.js';

// CI always has PostgreSQL (.ci/run installs and starts it); elsewhere the tests need Debian's package.
const run = process.env.CI === 'true' || postgresAvailable();

/** Equal as JSON, numbers within 1e-12 (the engines sum in different orders). */
function near(a: unknown, b: unknown, path = '$'): string[] {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-12 ? [] : [`${path}: ${a} ≠ ${b}`];
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => near((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return a === b ? [] : [`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`];
}

describe.runIf(run)('kpiops explain on PostgreSQL', () => {
  let server: TestPostgres;
  let snapshot: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startPostgres();
    env = { DATABASE_URL: server.url };
    snapshot = await cachedSample({ hcps: 600, months: 24, seed: 11, format: 'parquet', end: '2026-10' }, 'kpiops-pg-explain-');
    const loaded = await kpiops(['load-postgres', '-p', REPO, '--snapshot', snapshot, '--schema', 'explain_equivalence', '-q'], env);
    expect(loaded.code, loaded.stderr).toBe(0);
  }, 240_000);

  afterAll(() => {
    server?.stop();
    removeTempDirs();
  });

  // A ratio with a mix of slices (reach), one with parts (nps), a funnel-like rate on another
  // source (email_open_rate), a KPI read a year back, and one read as a weekly scorecard shows it.
  it.each([
    ['reach'],
    ['nps'],
    ['email_open_rate', '--by', 'brand,segment'],
    ['cei', '--vs', 'last_year'],
    ['trx_share', '--scorecard', 'rep_weekly'],
    ['reach', '--scorecard', 'brand_monthly'],
  ])('explains %s %s %s the same as DuckDB on the same data', async (...args) => {
    const duck = await kpiops(['explain', ...args, '-p', REPO, '--snapshot', snapshot, '-q', '--format', 'json']);
    const warehouse = await kpiops(['explain', ...args, '-p', REPO, '--engine', 'postgres', '--schema', 'explain_equivalence', '-q', '--format', 'json'], env);
    expect(duck.code, duck.stderr).toBe(0);
    expect([warehouse.code, warehouse.stderr]).toEqual([0, '']);
    const [a, b] = [JSON.parse(duck.stdout), JSON.parse(warehouse.stdout)];
    // Not an empty comparison: the change is split over slices on both.
    expect(a.by.flatMap((d: { contributions: unknown[] }) => d.contributions).length).toBeGreaterThan(1);
    if (warehouse.stdout !== duck.stdout) expect(near(a, b)).toEqual([]);
  }, 120_000);

  it('says in one line that the URL is missing (exit 2), the server is down (exit 1) or the schema lacks the KPI\'s table (exit 1)', async () => {
    const none = await kpiops(['explain', 'reach', '-p', REPO, '--engine', 'postgres', '-q'], { DATABASE_URL: undefined });
    expect([none.code, none.stdout, none.stderr]).toEqual([2, '', 'kpiops: the PostgreSQL connection URL goes in $DATABASE_URL (postgres://user@host:port/database)\n']);
    const down = await kpiops(['explain', 'reach', '-p', REPO, '--engine', 'postgres', '-q'], { DATABASE_URL: 'postgres://kpiops:secret@127.0.0.1:1/postgres' });
    expect([down.code, down.stdout]).toEqual([1, '']);
    expect(down.stderr).toMatch(/^kpiops: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/postgres as kpiops: .*ECONNREFUSED.*\n$/);
    expect(down.stderr).not.toContain('secret');
    const schema = await kpiops(['explain', 'reach', '-p', REPO, '--engine', 'postgres', '--schema', 'no_such_schema', '--as-of', '2026-11-01', '-q'], env);
    expect([schema.code, schema.stdout, schema.stderr]).toEqual([1, '', 'kpiops: reach is not computed: no table or view no_such_schema.interactions (source interactions)\n']);
  }, 120_000);
});
