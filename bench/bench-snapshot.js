// The sample snapshots the benches read. Made with `kpiops sample` when missing; made again,
// with the same HCPs, months, seed, last month and file format, when an older kpiops made
// them (another sample format), so a bench never measures data the current sample would not
// write. A snapshot kpiops sample did not make (BENCH_SNAPSHOT pointing at a team's data) is
// read as it is.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { SAMPLE_FORMAT } from '../dist/engine/duckdb/sample/generate.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** Settings of a sample, read back from its manifest (its id says the HCPs, months, seed and last month). */
function madeWith(manifest) {
  const m = /^sample-(\d{4}-\d{2})-seed(\d+)-(\d+)x(\d+)$/.exec(String(manifest?.id ?? ''));
  if (!m) return undefined;
  return { end: m[1], seed: Number(m[2]), hcps: Number(m[3]), months: Number(m[4]), format: manifest.tables?.hcps?.format ?? 'parquet' };
}

function sample(dir, s) {
  const args = ['--hcps', String(s.hcps), '--months', String(s.months), ...(s.seed !== undefined ? ['--seed', String(s.seed)] : []), ...(s.end ? ['--end', s.end] : []), ...(s.format ? ['--format', s.format] : [])];
  execFileSync(process.execPath, ['dist/bin/kpiops.js', 'sample', '--out', dir, ...args, '-q'], { cwd: repo, stdio: 'inherit' });
}

/** Makes sure `dir` holds a sample snapshot of the current format; `wanted` is what to make when there is none. */
export function benchSnapshot(dir, wanted) {
  const file = join(dir, 'snapshot.yaml');
  if (!existsSync(file)) {
    console.log(`generating the bench snapshot in ${dir} (${wanted.hcps.toLocaleString('en-US')} HCPs × ${wanted.months} months) …`);
    return sample(dir, wanted);
  }
  const manifest = parse(readFileSync(file, 'utf8'));
  const generator = manifest?.generator;
  if (generator?.name !== 'kpiops_sample') return;
  const format = typeof generator.format === 'number' ? generator.format : 1;
  if (format === SAMPLE_FORMAT) return;
  const settings = madeWith(manifest);
  if (!settings) throw new Error(`${dir} was made by sample format ${format} (now ${SAMPLE_FORMAT}) and its id does not say how: delete it to make a new one`);
  console.log(`making the bench snapshot in ${dir} again: it is sample format ${format}, now ${SAMPLE_FORMAT} (${settings.hcps.toLocaleString('en-US')} HCPs × ${settings.months} months, seed ${settings.seed}) …`);
  sample(dir, settings);
}
