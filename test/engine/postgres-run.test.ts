import { appendFileSync, cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../src/engine/duckdb/sample/generate.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

// CI always has PostgreSQL (.ci/run installs and starts it); elsewhere the tests need Debian's package.
const run = process.env.CI === 'true' || postgresAvailable();

/** Every file of an outbox by its path inside it, but the .eml files (their MIME boundaries are random). */
function outbox(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!name.endsWith('.eml')) out.set(relative(dir, path), readFileSync(path, 'latin1').replaceAll(dir, 'OUTBOX'));
    }
  };
  walk(dir);
  return out;
}

describe.runIf(run)('kpiops run on PostgreSQL', () => {
  let server: TestPostgres;
  let duck: Map<string, string>;
  let warehouse: Map<string, string>;
  let code: number | null;
  let stderr: string;

  beforeAll(async () => {
    server = await startPostgres();
    const env = { DATABASE_URL: server.url };
    // The demo project, with the warehouse naming three sources its own way: the brief reads two of them.
    const project = tempDir('kpiops-pg-run-project-');
    for (const part of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates']) cpSync(join(REPO, part), join(project, part), { recursive: true });
    appendFileSync(join(project, 'kpiops.yaml'), '\nwarehouse:\n  engine: postgres\n  tables: {hcps: crm_accounts, interactions: crm_touches, rx: rx_feed}\n');
    const snapshot = tempDir('kpiops-pg-run-sample-');
    await generateSample({ out: snapshot, hcps: 600, months: 24, seed: 7, format: 'parquet', end: '2026-10' });
    const loaded = await kpiops(['load-postgres', '-p', project, '--snapshot', snapshot, '--schema', 'run_mapped', '-q'], env);
    expect(loaded.code, loaded.stderr).toBe(0);
    // Only the mapped names exist: a query naming a source's own table would fail, not read another schema's.
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'run_mapped' ORDER BY 1");
    await client.end();
    expect(tables.rows.map((r) => r.table_name)).toEqual(['benchmarks', 'content', 'crm_accounts', 'crm_touches', 'goals', 'kpiops$snapshot', 'recommendations', 'responses', 'rx_feed']);
    const out = tempDir('kpiops-pg-run-out-');
    const a = await kpiops(['run', '-p', project, '--snapshot', snapshot, '-q', '--out', join(out, 'duckdb')]);
    expect(a.code, a.stderr).toBe(0);
    const b = await kpiops(['run', '-p', project, '--engine', 'postgres', '--schema', 'run_mapped', '--snapshot', snapshot, '-q', '--out', join(out, 'postgres')], env);
    ({ code, stderr } = b);
    duck = outbox(join(out, 'duckdb'));
    warehouse = outbox(join(out, 'postgres'));
  }, 600_000);

  afterAll(() => {
    server?.stop();
    removeTempDirs();
  });

  it('renders the same scorecards, rep briefs included, as DuckDB on the same snapshot, reading the tables under their warehouse names', () => {
    expect(code, stderr).toBe(0);
    expect([...warehouse.keys()].sort()).toEqual([...duck.keys()].sort());
    const differing = [...duck].filter(([path, text]) => warehouse.get(path) !== text).map(([path]) => path);
    expect(differing).toEqual([]);
    // A comparison of empty briefs would prove little: the reps' HCP lists name HCPs, with open items and over-cap windows.
    const briefs = [...duck].filter(([path]) => path.startsWith('rep_weekly/') && path.endsWith('.txt')).map(([, text]) => text);
    expect(briefs.length).toBeGreaterThan(5);
    expect(briefs.some((t) => /not followed up yet/.test(t))).toBe(true);
    const lists = [...duck].filter(([path]) => path.endsWith('.csv')).map(([, text]) => text.trim().split('\n').length - 1);
    expect(lists.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
  });
});
