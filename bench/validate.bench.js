// `npm run bench`: `kpiops validate` on a project of 1,000 generated KPI files, against a
// baseline measured in the same run: a script that only reads and parses the same files
// with the `yaml` package (no positions, no schema, no rules). Wall times, median of runs.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const KPIS = Number(process.env.BENCH_KPIS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const dir = join(tmpdir(), `kpiops-bench-${process.pid}`);

/** A project with the demo's settings, channels and templates, and KPIS KPI files varied from the demo's. */
function generateProject() {
  rmSync(dir, { recursive: true, force: true });
  for (const part of ['kpiops.yaml', 'channels', 'templates', 'schemas']) cpSync(join(repo, part), join(dir, part), { recursive: true });
  const demo = execFileSync('git', ['ls-files', 'kpis'], { cwd: repo, encoding: 'utf8' }).trim().split('\n')
    .map((f) => readFileSync(join(repo, f), 'utf8'))
    .filter((text) => !/kind: (derived|benchmark)/.test(text));
  for (let i = 0; i < KPIS; i++) {
    const group = `group_${String(i % 20).padStart(2, '0')}`;
    mkdirSync(join(dir, 'kpis', group), { recursive: true });
    const text = demo[i % demo.length].replace(/^id: (\w+)/m, (_, id) => `id: ${id}_${i}`);
    writeFileSync(join(dir, 'kpis', group, `kpi_${i}.yaml`), text);
  }
}

const baseline = `
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
const root = ${JSON.stringify(dir)};
let n = 0;
for (const e of readdirSync(join(root, 'kpis'), { recursive: true, withFileTypes: true })) {
  if (e.isFile()) { parse(readFileSync(join(e.parentPath, e.name), 'utf8')); n++; }
}
if (n !== ${KPIS}) throw new Error('parsed ' + n);
`;

function time(args, options = {}) {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'], ...options });
  return Number(process.hrtime.bigint() - started) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

generateProject();
const kpiops = [join(repo, 'dist/bin/kpiops.js'), 'validate', '--project', dir];
execFileSync(process.execPath, kpiops, { stdio: 'inherit' }); // must be clean, and warms the file cache
const results = { node: [], parse: [], validate: [] };
for (let run = 0; run < RUNS; run++) {
  results.node.push(time(['-e', '0']));
  results.parse.push(time(['--input-type=module', '-e', baseline], { cwd: repo }));
  results.validate.push(time(kpiops));
}
if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });

const [node, parse, validate] = [median(results.node), median(results.parse), median(results.validate)];
console.log(`\nkpiops validate on ${KPIS} KPI files (+ project, 10 channels), median of ${RUNS} runs, ${cpus().length} cores, Node ${process.version}`);
console.log(`  node start (empty script)        ${node.toFixed(0).padStart(6)} ms`);
console.log(`  baseline: read + yaml.parse      ${parse.toFixed(0).padStart(6)} ms`);
console.log(`  kpiops validate                  ${validate.toFixed(0).padStart(6)} ms   (${(validate / parse).toFixed(2)}× the baseline)`);
console.log(`  goal: ≤ 1.2× the baseline          ${validate <= 1.2 * parse ? 'met' : 'MISSED'} (${(validate / parse).toFixed(2)}×)`);
