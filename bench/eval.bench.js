// `npm run bench` (third part): the whole demo catalog evaluated for one month (and the 12
// months before it, for trends) on a generated snapshot of ≥ 10,000,000 events, against two
// baselines measured in the same run on the same loaded data:
//   (a) bench/handwritten.sql: the same numbers written by hand in SQL, run directly on
//       DuckDB; its numbers are checked against kpiops' (they must agree to 1e-9);
//   (b) the naive plan: one query per KPI per period, no scan shared between KPIs.
// Each side runs in its own process with the same DuckDB memory limit; load time and peak
// memory are reported. The snapshot is generated once into bench/.work/big (about 80 s).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const snapshot = process.env.BENCH_SNAPSHOT ?? join(repo, 'bench', '.work', 'big');
const period = process.env.BENCH_PERIOD ?? '2026-10';
const memoryLimit = process.env.BENCH_MEMORY_LIMIT ?? '3GB';

if (!existsSync(join(snapshot, 'snapshot.yaml'))) {
  console.log(`generating the bench snapshot in ${snapshot} (200,000 HCPs × 24 months) …`);
  execFileSync(process.execPath, ['dist/cli/bin.js', 'sample', '--out', snapshot, '--hcps', '200000', '--months', '24', '-q'], { cwd: repo, stdio: 'inherit' });
}

const values = join(repo, 'bench', '.work');

/** Loads the snapshot, then runs kpiops (fused or naive) or the hand-written SQL; prints JSON timings and peak memory. */
const script = (mode) => `
  import { writeFileSync, readFileSync } from 'node:fs';
  import { validateProject } from './dist/validate/project.js';
  import { openSnapshot, snapshotDir } from './dist/pipeline/snapshot.js';
  import { modelOf } from './dist/pipeline/project.js';
  import { compile } from './dist/compile/compile.js';
  import { duckdb } from './dist/compile/dialects/index.js';
  import { parsePeriod, trailing } from './dist/model/period.js';
  import { runPlan } from './dist/engine/run-plan.js';
  import { evaluate } from './dist/evaluate/evaluate.js';
  const validated = await validateProject('.');
  let t = performance.now();
  const { open, diagnostics } = await openSnapshot(validated, snapshotDir('.', ${JSON.stringify(snapshot)}), { memoryLimit: ${JSON.stringify(memoryLimit)} });
  if (!open || diagnostics.some((d) => d.severity === 'error')) throw new Error('the bench snapshot failed its load checks');
  const { loaded, manifest } = open;
  const load = (performance.now() - t) / 1000;
  const model = modelOf(validated);
  const asOf = new Date(manifest.as_of);
  const requested = parsePeriod(${JSON.stringify(period)}, model.calendar);
  t = performance.now();
  let queries = 0;
  if (${JSON.stringify(mode)} === 'naive') {
    for (const p of trailing(requested, 12, model.calendar)) {
      const plan = compile(model, duckdb, { period: p, asOf, trend: 0, fuse: false });
      queries += plan.queries.length;
      await runPlan(loaded.db, plan);
    }
  } else if (${JSON.stringify(mode)} === 'fused') {
    const plan = compile(model, duckdb, { period: requested, asOf });
    queries = plan.queries.length;
    const { rows } = await runPlan(loaded.db, plan);
    const out = evaluate(plan, rows);
    writeFileSync(${JSON.stringify(join(values, 'kpiops-values.json'))}, JSON.stringify(out.map((k) => ({ id: k.plan.id, slices: k.slices.map((s) => ({ dims: s.dims, trend: s.trend })) }))));
  } else {
    const sql = readFileSync('bench/handwritten.sql', 'utf8').split(/;\\s*\\n/).map((s) => s.trim()).filter((s) => s.replace(/--[^\\n]*/g, '').trim());
    for (const statement of sql) await loaded.db.run(statement);
    queries = sql.length;
    const rows = await loaded.db.all('SELECT kpi, strftime(period, \\'%Y-%m\\') AS period, brand, country, segment, territory, value FROM hand');
    writeFileSync(${JSON.stringify(join(values, 'hand-values.json'))}, JSON.stringify(rows));
  }
  const seconds = (performance.now() - t) / 1000;
  console.log(JSON.stringify({ load, seconds, queries, peakMB: Math.round(process.resourceUsage().maxRSS / 1024) }));`;

function measure(mode) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script(mode)], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').at(-1));
}

/** Every number the hand-written SQL computed must be kpiops' number for the same KPI, month and slice. */
function compare() {
  const key = (kpi, period, d) => [kpi, period, d.brand ?? '', d.country ?? '', d.segment ?? '', d.territory ?? ''].join('|');
  const ours = new Map();
  for (const k of JSON.parse(readFileSync(join(values, 'kpiops-values.json'), 'utf8'))) {
    for (const s of k.slices) for (const t of s.trend) {
      if (t.value !== null && typeof t.value === 'object') for (const [c, v] of Object.entries(t.value)) ours.set(key(`${k.id}.${c}`, t.period, s.dims), v);
      else ours.set(key(k.id, t.period, s.dims), t.value);
    }
  }
  const hand = JSON.parse(readFileSync(join(values, 'hand-values.json'), 'utf8'));
  const differ = hand.filter((r) => {
    const v = ours.get(key(r.kpi, r.period, r));
    if (v === undefined) return r.value !== null && r.value !== 0;
    if (v === null || r.value === null) return v !== r.value;
    return Math.abs(v - r.value) > 1e-9 * Math.max(1, Math.abs(r.value));
  });
  return { compared: hand.length, differ };
}

const fused = measure('fused');
const hand = measure('hand');
const naive = measure('naive');
const check = compare();
const events = /interactions:[\s\S]*?rows: (\d+)/.exec(readFileSync(join(snapshot, 'snapshot.yaml'), 'utf8'))?.[1];
console.log(`\nkpiops eval, demo catalog (24 KPIs, 13 periods each), ${Number(events).toLocaleString('en-US')} events, DuckDB memory limit ${memoryLimit}`);
console.log(`  load and check snapshot:        ${fused.load.toFixed(1)} s`);
console.log(`  kpiops (fused plan):            ${fused.seconds.toFixed(1)} s, ${fused.queries} queries, peak ${fused.peakMB} MB`);
console.log(`  (a) hand-written SQL:           ${hand.seconds.toFixed(1)} s, ${hand.queries} statements, peak ${hand.peakMB} MB`);
console.log(`  (b) naive plan:                 ${naive.seconds.toFixed(1)} s, ${naive.queries} queries, peak ${naive.peakMB} MB`);
console.log(`  kpiops ÷ hand-written: ${(fused.seconds / hand.seconds).toFixed(2)}×; naive ÷ kpiops: ${(naive.seconds / fused.seconds).toFixed(1)}×`);
console.log(`  numbers: ${check.compared} hand-written values compared, ${check.differ.length} differ from kpiops'`);
for (const r of check.differ.slice(0, 10)) console.log('   ', JSON.stringify(r));
if (check.differ.length > 0) process.exitCode = 1;
