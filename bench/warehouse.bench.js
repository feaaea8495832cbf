// `npm run bench` (last part): warehouse mode. The demo catalog evaluated on the ≥ 10M-event
// bench snapshot by DuckDB (embedded, the default) and by PostgreSQL (the same plan compiled
// for it), each through the CLI a user runs, with every value compared between the two.
// PostgreSQL is the server in KPIOPS_BENCH_DATABASE_URL, or a throwaway cluster started
// here from Debian's packages with shared_buffers=1GB and work_mem=256MB (DuckDB gets 3GB);
// copying the snapshot into it (kpiops load-postgres) is timed too.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchSnapshot } from './bench-snapshot.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const snapshot = process.env.BENCH_SNAPSHOT ?? join(repo, 'bench', '.work', 'big');
const period = process.env.BENCH_PERIOD ?? '2026-10';
const work = mkdtempSync(join(tmpdir(), 'kpiops-warehouse-bench-'));

benchSnapshot(snapshot, { hcps: 200_000, months: 24 });

/** A PostgreSQL to run on: the given one, or a throwaway cluster owned by the unprivileged postgres user. */
function startServer() {
  if (process.env.KPIOPS_BENCH_DATABASE_URL) return { url: process.env.KPIOPS_BENCH_DATABASE_URL, stop() {} };
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => b - a)[0] : undefined;
  if (!version) throw new Error('no PostgreSQL: install Debian\'s postgresql package or set KPIOPS_BENCH_DATABASE_URL');
  const bin = join(root, version, 'bin');
  chmodSync(work, 0o777);
  const data = join(work, 'data');
  const port = 20000 + Math.floor(Math.random() * 20000);
  const as = (args) => (process.getuid() === 0 ? ['su', ['postgres', '-s', '/bin/sh', '-c', args.map((a) => `'${a}'`).join(' ')]] : [args[0], args.slice(1)]);
  const run = (args) => execFileSync(...as(args), { stdio: 'pipe' });
  run([join(bin, 'initdb'), '-D', data, '--auth=trust', '-U', 'kpiops', '-E', 'UTF8', '--no-sync']);
  const settings = `-c listen_addresses=127.0.0.1 -p ${port} -k ${work} -c shared_buffers=1GB -c work_mem=256MB -c maintenance_work_mem=512MB -c max_wal_size=4GB -c synchronous_commit=off`;
  run([join(bin, 'pg_ctl'), '-D', data, '-l', join(work, 'server.log'), '-w', '-o', settings, 'start']);
  console.log(`PostgreSQL ${version} on 127.0.0.1:${port} (${settings.replace(/-c listen_addresses=\S+ -p \d+ -k \S+ /, '').replace(/-c /g, '')})`);
  return { url: `postgres://kpiops@127.0.0.1:${port}/postgres`, stop: () => run([join(bin, 'pg_ctl'), '-D', data, '-m', 'fast', 'stop']) };
}

/** Runs the CLI; returns its seconds as it reports them ("… in 12.3 s") and the wall time. */
function kpiops(args, env = {}) {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['dist/bin/kpiops.js', ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env } });
  const wall = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`kpiops ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  const reported = /in ([\d.]+) s/.exec(r.stderr);
  return { wall, reported: reported ? Number(reported[1]) : wall, stderr: r.stderr };
}

/** Every value of every KPI and slice, by path. */
function leaves(results) {
  const out = new Map();
  const walk = (path, v) => {
    if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(`${path}.${k}`, x);
    else out.set(path, v);
  };
  for (const kpi of results.kpis) for (const slice of kpi.slices) walk(`${kpi.id}[${JSON.stringify(slice.dims)}]`, slice);
  return out;
}

const server = startServer();
try {
  const env = { DATABASE_URL: server.url };
  const copy = kpiops(['load-postgres', '--snapshot', snapshot, '--schema', 'bench', '-q'], env);
  console.log(`copy into PostgreSQL: ${copy.reported.toFixed(1)} s (${copy.stderr.trim().split(': ').slice(1).join(': ')})`);
  const duck = kpiops(['eval', '--snapshot', snapshot, '--period', period, '-q', '--no-cache', '--out', join(work, 'duckdb.json')]);
  const pg = kpiops(['eval', '--engine', 'postgres', '--schema', 'bench', '--period', period, '-q', '--out', join(work, 'postgres.json')], env);
  const a = leaves(JSON.parse(readFileSync(join(work, 'duckdb.json'), 'utf8')));
  const b = leaves(JSON.parse(readFileSync(join(work, 'postgres.json'), 'utf8')));
  const close = (x, y) => (typeof x === 'number' && typeof y === 'number' ? (Number.isInteger(x) && Number.isInteger(y) ? x === y : Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y))) : x === y);
  const differ = [...a].filter(([k, v]) => !close(v, b.get(k))).length + [...b.keys()].filter((k) => !a.has(k)).length;
  console.log(`evaluate the demo catalog for ${period} (13 periods):`);
  console.log(`  DuckDB (embedded)   ${duck.reported.toFixed(1)} s, plus ${(duck.wall - duck.reported).toFixed(1)} s loading and checking the snapshot`);
  console.log(`  PostgreSQL          ${pg.reported.toFixed(1)} s   (PostgreSQL ÷ DuckDB = ${(pg.reported / duck.reported).toFixed(2)}×)`);
  console.log(`  values: ${a.size - differ} of ${a.size} agree${differ > 0 ? `, ${differ} DIFFER` : ''}`);
  if (differ > 0) process.exitCode = 1;
} finally {
  server.stop();
  rmSync(work, { recursive: true, force: true });
}
