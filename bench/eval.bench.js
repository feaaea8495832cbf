// `npm run bench` (third part): `kpiops eval` end to end (load, every check, every KPI of the
// demo catalog, 13 periods, every slice) on a generated snapshot of about 10,000,000 events,
// against a reference measured in the same run: one DuckDB query per table that reads its
// Parquet file once and computes the catalog's distinct counts by brand and month, nothing
// else (no checks, no slices, no trend beyond the same 13 months). Both run in their own
// process under the same DuckDB memory limit; wall time and peak memory (DuckDB's included).
// kpiops runs with --no-cache: every query is run, none read back from an earlier run.
// Then bench/handwritten.sql, the same numbers written by hand, must agree with kpiops' to
// 1e-9, and the results' SHA-256 is printed (the same snapshot and project give the same one).
// Knobs: BENCH_SNAPSHOT (default bench/.work/big, generated once: 200,000 HCPs × 24 months),
// BENCH_MEMORY_LIMIT (1.5GB), BENCH_PERIOD (2026-10), BENCH_HAND=0 to skip the numbers check.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchSnapshot } from './bench-snapshot.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const snapshot = process.env.BENCH_SNAPSHOT ?? join(repo, 'bench', '.work', 'big');
const period = process.env.BENCH_PERIOD ?? '2026-10';
const memoryLimit = process.env.BENCH_MEMORY_LIMIT ?? '1.5GB';
const work = join(repo, 'bench', '.work');
mkdirSync(work, { recursive: true });

benchSnapshot(snapshot, { hcps: 200_000, months: 24 });

/** Runs node with `args` in its own process; its wall time and peak memory. */
function timed(args) {
  const peakFile = join(work, `peak-${process.pid}`);
  const started = process.hrtime.bigint();
  // What the command says on stderr is shown only when it fails (execFileSync's error carries it).
  const stdout = execFileSync(process.execPath, ['--import', './bench/peak.mjs', ...args], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KPIOPS_BENCH_PEAK: peakFile }, maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakMB = Number(readFileSync(peakFile, 'utf8'));
  rmSync(peakFile, { force: true });
  return { seconds, peakMB, stdout };
}

const manifest = readFileSync(join(snapshot, 'snapshot.yaml'), 'utf8');
const rowsOf = (table) => Number(new RegExp(`\\n  ${table}:[\\s\\S]*?rows: (\\d+)`).exec(manifest)?.[1] ?? 0);
const events = rowsOf('interactions');
const [year, month] = period.split('-').map(Number);
const from = new Date(Date.UTC(year, month - 13, 1)).toISOString().slice(0, 10);
const until = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);

// The reference: per table, one query reading its file once, distinct counts by brand and month.
const reference = `
  import { DuckDBInstance } from '@duckdb/node-api';
  const db = await DuckDBInstance.create(':memory:', { memory_limit: ${JSON.stringify(memoryLimit)} });
  const c = await db.connect();
  await c.run("SET TimeZone = 'UTC'");
  const file = (t) => ${JSON.stringify(snapshot)} + '/' + t + '.parquet';
  const window = (column) => \`\${column} >= TIMESTAMP '${from}' AND \${column} < TIMESTAMP '${until}'\`;
  const queries = [
    \`SELECT brand, date_trunc('month', occurred_at) AS month, count(DISTINCT hcp_id) AS reached,
       count(DISTINCT hcp_id) FILTER (WHERE NOT coalesce(bot, false)) AS engaged_hcps,
       count(DISTINCT (hcp_id, channel)) AS hcp_channels,
       count(DISTINCT message_id) FILTER (WHERE channel = 'email' AND event = 'delivered') AS delivered,
       count(DISTINCT message_id) FILTER (WHERE channel = 'email' AND event = 'opened') AS opened,
       count(DISTINCT message_id) FILTER (WHERE channel = 'email' AND event = 'clicked') AS clicked
     FROM read_parquet('\${file('interactions')}') WHERE \${window('occurred_at')} GROUP BY ALL\`,
    \`SELECT brand, date_trunc('month', responded_at) AS month, count(DISTINCT hcp_id) AS respondents, count(DISTINCT response_id) AS responses
     FROM read_parquet('\${file('responses')}') WHERE \${window('responded_at')} GROUP BY ALL\`,
    \`SELECT brand, month, count(DISTINCT hcp_id) AS prescribers, sum(trx) AS trx FROM read_parquet('\${file('rx')}') WHERE \${window('month')} GROUP BY ALL\`,
    \`SELECT channel, date_trunc('month', posted_at) AS month, count(DISTINCT hcp_id) AS hcps, count(DISTINCT recommendation_id) AS suggestions
     FROM read_parquet('\${file('recommendations')}') WHERE \${window('posted_at')} GROUP BY ALL\`,
    \`SELECT brand, period_start, count(DISTINCT hcp_id) AS hcps_with_goals FROM read_parquet('\${file('goals')}') GROUP BY ALL\`,
  ];
  for (const q of queries) await c.runAndReadAll(q);`;

const hash = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const results = join(work, 'bench-results.json');

const runs = [];
for (let i = 0; i < 2; i++) {
  const ref = timed(['--input-type=module', '-e', reference]);
  const kpiops = timed(['dist/bin/kpiops.js', 'eval', '--snapshot', snapshot, '--period', period, '--memory-limit', memoryLimit, '--out', results, '-q', '--no-cache']);
  runs.push({ ref, kpiops, sha: hash(results) });
}
const best = (side) => runs.map((r) => r[side]).sort((a, b) => a.seconds - b.seconds)[0];
const ref = best('ref');
const kpiops = best('kpiops');
const ratio = kpiops.seconds / ref.seconds;
const limitMB = /GB$/i.test(memoryLimit) ? parseFloat(memoryLimit) * 1024 : parseFloat(memoryLimit);

console.log(`\nkpiops eval end to end, demo catalog, ${events.toLocaleString('en-US')} events, period ${period}, DuckDB memory limit ${memoryLimit} (best of 2)`);
console.log(`  reference: one query per table, distinct counts by brand × month   ${ref.seconds.toFixed(1).padStart(6)} s   peak ${ref.peakMB} MB`);
console.log(`  kpiops eval (load, checks, every KPI, slice and period)            ${kpiops.seconds.toFixed(1).padStart(6)} s   peak ${kpiops.peakMB} MB   ${ratio.toFixed(2)}× the reference`);
console.log(`  per event: ${(kpiops.seconds / events * 1e6).toFixed(2)} µs (reference ${(ref.seconds / events * 1e6).toFixed(2)} µs)`);
if (process.env.BENCH_SNAPSHOT === undefined) {
  console.log(`  goal: ≤ 3× the reference                                           ${ratio <= 3 ? 'met' : 'MISSED'} (${ratio.toFixed(2)}×)`);
  console.log(`  goal: peak ≤ 2 GB                                                   ${kpiops.peakMB <= 2048 ? 'met' : 'MISSED'} (${kpiops.peakMB} MB)`);
} else {
  console.log('  (the goals are set for the default bench snapshot, not BENCH_SNAPSHOT)');
}
console.log(`  results SHA-256: ${runs[0].sha}${runs.every((r) => r.sha === runs[0].sha) ? ' (the same in both runs)' : ' — DIFFERS between runs'}`);
if (!runs.every((r) => r.sha === runs[0].sha)) process.exitCode = 1;

if (process.env.BENCH_HAND !== '0') {
  // The numbers, checked: bench/handwritten.sql on the same loaded data must give kpiops' numbers.
  const hand = timed(['--input-type=module', '-e', `
    import { readFileSync, writeFileSync } from 'node:fs';
    import { validateProject } from './dist/validate/project.js';
    import { openSnapshot, snapshotDir } from './dist/pipeline/snapshot.js';
    const validated = await validateProject('.');
    const { open } = await openSnapshot(validated, snapshotDir('.', ${JSON.stringify(snapshot)}), { memoryLimit: ${JSON.stringify(memoryLimit)} });
    const sql = readFileSync('bench/handwritten.sql', 'utf8').split(/;\\s*\\n/).map((s) => s.trim()).filter((s) => s.replace(/--[^\\n]*/g, '').trim());
    for (const statement of sql) await open.loaded.db.run(statement);
    const rows = await open.loaded.db.all('SELECT kpi, strftime(period, \\'%Y-%m\\') AS period, brand, country, segment, territory, value FROM hand');
    writeFileSync(${JSON.stringify(join(work, 'hand-values.json'))}, JSON.stringify(rows));`]);
  const key = (kpi, p, d) => [kpi, p, d.brand ?? '', d.country ?? '', d.segment ?? '', d.territory ?? ''].join('|');
  const ours = new Map();
  for (const k of JSON.parse(readFileSync(results, 'utf8')).kpis) {
    for (const s of k.slices ?? []) for (const t of s.trend ?? []) {
      if (t.value !== null && typeof t.value === 'object') for (const [c, v] of Object.entries(t.value)) ours.set(key(`${k.id}.${c}`, t.period, s.dims ?? {}), v);
      else ours.set(key(k.id, t.period, s.dims ?? {}), t.value);
    }
  }
  const rows = JSON.parse(readFileSync(join(work, 'hand-values.json'), 'utf8'));
  const differ = rows.filter((r) => {
    const v = ours.get(key(r.kpi, r.period, r));
    if (v === undefined) return r.value !== null && r.value !== 0;
    if (v === null || r.value === null) return v !== r.value;
    return Math.abs(v - r.value) > 1e-9 * Math.max(1, Math.abs(r.value));
  });
  console.log(`  numbers: ${rows.length} hand-written values compared with kpiops' results, ${differ.length} differ (hand-written SQL took ${hand.seconds.toFixed(1)} s)`);
  for (const r of differ.slice(0, 10)) console.log('   ', JSON.stringify(r));
  if (differ.length > 0) process.exitCode = 1;
}
