// `npm run bench` (second part): `kpiops sample --hcps 200000 --months 24` (≥ 10M events),
// wall time and peak memory, against a baseline measured in the same run: DuckDB writing a
// table of the same row count and column count with no realism at all (the floor cost of
// producing and writing that many rows). Set BENCH_SAMPLE_HCPS to bench a smaller sample.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const hcps = Number(process.env.BENCH_SAMPLE_HCPS ?? 200000);
const months = Number(process.env.BENCH_SAMPLE_MONTHS ?? 24);
const out = join(tmpdir(), `kpiops-sample-bench-${process.pid}`);

/** Runs a script in a child Node process; it prints JSON with its own peak memory. */
function measure(script) {
  const started = process.hrtime.bigint();
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, ...JSON.parse(stdout.trim().split('\n').at(-1)) };
}

const peak = 'JSON.stringify({ peakMB: Math.round(process.resourceUsage().maxRSS / 1024) })';
const sample = measure(`
  import { generateSample } from './dist/engine/duckdb/sample/generate.js';
  const m = await generateSample({ out: ${JSON.stringify(out)}, hcps: ${hcps}, months: ${months}, seed: 42, format: 'parquet', end: '2026-10' });
  console.log(JSON.stringify({ events: m.tables.interactions.rows, peakMB: Math.round(process.resourceUsage().maxRSS / 1024) }));`);

rmSync(out, { recursive: true, force: true });

const baseline = measure(`
  import { DuckDBInstance } from '@duckdb/node-api';
  const c = await (await DuckDBInstance.create(':memory:')).connect();
  await c.run(\`COPY (SELECT 'E' || i AS a, 'M' || (i // 2) AS b, 'H' || (i % ${hcps}) AS c, TIMESTAMP '2025-01-01' + to_seconds(i % 60000000) AS d,
    'ch' || (i % 10) AS e, 'ev' || (i % 14) AS f, 'b' || (i % 3) AS g, 'C' || (i % 40) AS h, 'X' || (i % 150) AS j, 'R' || (i % 800) AS k,
    i % 7 = 0 AS l, CAST(i % 3600 AS INTEGER) AS m FROM range(${sample.events}) t(i) ORDER BY a) TO '${join(tmpdir(), `kpiops-baseline-${process.pid}.parquet`)}' (FORMAT parquet, COMPRESSION zstd)\`);
  console.log(${peak});`);
rmSync(join(tmpdir(), `kpiops-baseline-${process.pid}.parquet`), { force: true });

console.log(`\nkpiops sample --hcps ${hcps} --months ${months}: ${sample.events.toLocaleString('en-US')} events (+ HCPs, responses, goals, Rx, content, benchmarks)`);
console.log(`  baseline: DuckDB writes ${sample.events.toLocaleString('en-US')} plain rows   ${baseline.seconds.toFixed(1).padStart(6)} s   peak ${baseline.peakMB} MB`);
console.log(`  kpiops sample                              ${sample.seconds.toFixed(1).padStart(6)} s   peak ${sample.peakMB} MB   (${(sample.seconds / baseline.seconds).toFixed(2)}× the baseline)`);
console.log(`  goal: ≤ 25 s                               ${sample.seconds <= 25 ? 'met' : 'MISSED'} (${sample.seconds.toFixed(1)} s)`);
console.log(`  goal: peak ≤ 2 GB                          ${sample.peakMB <= 2048 ? 'met' : 'MISSED'} (${sample.peakMB} MB)`);
