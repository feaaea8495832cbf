// `npm run bench`: `kpiops diff --snapshot` on the demo snapshot, as a pull request's review job
// runs it after one KPI's target was edited: the base revision and the work tree both
// evaluated and rendered for every scorecard. Cold (an empty query cache) against warm (the
// cache the cold run left: the same queries on the same data are read back, not run), in
// the same run; the review must read the same either way. The project is a copy of this
// repository's example in a temporary git repository; the cache a temporary folder.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchSnapshot } from './bench-snapshot.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const snapshot = process.env.BENCH_SNAPSHOT ?? join(repo, 'snapshots', 'demo');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
benchSnapshot(snapshot, { hcps: 5000, months: 24 });

const project = mkdtempSync(join(tmpdir(), 'kpiops-diff-bench-'));
const cache = mkdtempSync(join(tmpdir(), 'kpiops-diff-cache-'));
for (const part of ['kpiops.yaml', 'kpis', 'channels', 'scorecards', 'alerts', 'templates', 'schemas']) cpSync(join(repo, part), join(project, part), { recursive: true });
const git = (...args) => execFileSync('git', args, { cwd: project, stdio: 'ignore' });
git('init', '-q');
git('add', '.');
git('-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-qm', 'base');
const kpi = join(project, 'kpis', 'email', 'email_open_rate.yaml');
writeFileSync(kpi, readFileSync(kpi, 'utf8').replace(/^ {2}value: 0\.22$/m, '  value: 0.25'));

function diff(env) {
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [join(repo, 'dist/bin/kpiops.js'), 'diff', '--base', 'HEAD', '--snapshot', snapshot, '-q'], { cwd: project, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, out };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cold = [];
const warm = [];
let review;
for (let i = 0; i < RUNS; i++) {
  rmSync(cache, { recursive: true, force: true });
  const c = diff({ KPIOPS_CACHE_DIR: cache });
  const w = diff({ KPIOPS_CACHE_DIR: cache });
  if (c.out !== w.out) throw new Error('the review read differently with the cache');
  review ??= c.out;
  cold.push(c.seconds);
  warm.push(w.seconds);
}
const nocache = diff({ KPIOPS_NO_CACHE: '1' });
if (nocache.out !== review) throw new Error('the review read differently without the cache');
rmSync(project, { recursive: true, force: true });
rmSync(cache, { recursive: true, force: true });

const [c, w] = [median(cold), median(warm)];
console.log(`\nkpiops diff --snapshot on the demo snapshot, one KPI's target edited, median of ${RUNS}`);
console.log(`  baseline: cold (empty query cache)       ${c.toFixed(2).padStart(6)} s   (--no-cache: ${nocache.seconds.toFixed(2)} s)`);
console.log(`  warm (the cache the cold run left)       ${w.toFixed(2).padStart(6)} s   ${(w / c).toFixed(2)}× cold; the review identical`);
console.log(`  goal: ≤ 3 s warm                         ${w <= 3 ? 'met' : 'MISSED'} (${w.toFixed(2)} s)`);
