import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { generateSample, SAMPLE_FORMAT } from '../engine/duckdb/sample/generate.js';
import { SAMPLE_CHANNELS } from '../engine/duckdb/sample/world.js';
import { schemasFor } from '../source/package.js';
import { progress as makeProgress } from './progress.js';

export interface SampleCommandOptions {
  out: string;
  hcps: string;
  months: string;
  seed: string;
  format: 'parquet' | 'csv';
  end: string;
  quiet?: boolean;
  ifMissing?: boolean;
  /** The project whose channels the sample follows. */
  project?: string;
}

/**
 * The channels to write interactions on: the project's, when it declares fewer than the
 * sample has (a team's starter, say); undefined (every channel) without a project, or when it
 * declares them all (the demo, whose sample stays as it was), or has errors.
 */
export async function projectChannels(project: string): Promise<string[] | undefined> {
  if (!existsSync(join(project, 'kpiops.yaml'))) return undefined;
  const { validateProject } = await import('../validate/project.js');
  const validated = await validateProject(project);
  // A project with errors may have lost a channel file to a typo: its sample is not cut down on that account.
  if (validated.diagnostics.some((d) => d.severity === 'error')) return undefined;
  const declared = new Set(validated.files.channels.map((c) => c.spec.id));
  return SAMPLE_CHANNELS.every((c) => declared.has(c)) ? undefined : SAMPLE_CHANNELS.filter((c) => declared.has(c));
}

/**
 * The format of the sample a manifest describes: its generator's `format` (1 before it was
 * recorded), or `other` for a snapshot that is not a kpiops sample or cannot be read (kept as is).
 */
function madeFormat(manifest: string): number | 'other' {
  try {
    const generator = (parse(readFileSync(manifest, 'utf8')) as { generator?: { name?: unknown; format?: unknown } } | null)?.generator;
    if (generator?.name !== 'kpiops_sample') return 'other';
    return typeof generator.format === 'number' ? generator.format : 1;
  } catch {
    return 'other';
  }
}

/** `kpiops sample`: writes a deterministic demo snapshot; returns the exit code. */
export async function sampleCommand(options: SampleCommandOptions, out: NodeJS.WritableStream, err: NodeJS.WriteStream, cwd: string): Promise<number> {
  // Checked on the command line (cli/options.ts): whole numbers within their bounds, a month.
  const [hcps, months, seed] = [options.hcps, options.months, options.seed].map(Number) as [number, number, number];
  if (options.ifMissing && existsSync(join(options.out, 'snapshot.yaml'))) {
    const made = madeFormat(join(options.out, 'snapshot.yaml'));
    if (made === SAMPLE_FORMAT || made === 'other') {
      out.write(`✔ sample snapshot already in ${options.out} (delete it to generate a new one)\n`);
      return 0;
    }
    // A sample from an older kpiops lacks what the project now reads (a column): made again, not kept.
    out.write(`✔ the sample snapshot in ${options.out} was made by an older kpiops (format ${made}, now ${SAMPLE_FORMAT}): making a new one\n`);
  }
  const channels = await projectChannels(options.project ?? '.');
  if (channels) out.write(`  interactions only on the project's channels (${channels.join(', ') || 'none'}); left out: ${SAMPLE_CHANNELS.filter((c) => !channels.includes(c)).join(', ')}\n`);
  const progress = makeProgress(err, Boolean(options.quiet));
  const started = Date.now();
  try {
    // The manifest's modeline points at the schemas the project's editor loads when the snapshot is inside the project.
    const inside = !relative(cwd, resolve(cwd, options.out)).startsWith('..');
    const schemasDir = inside ? resolve(cwd, schemasFor(cwd)) : undefined;
    const manifest = await generateSample({ out: options.out, hcps, months, seed, format: options.format, end: options.end, ...(schemasDir ? { schemasDir } : {}), ...(channels ? { channels } : {}), onStep: (s) => progress.step(`Sample: ${s}`) });
    progress.done();
    const rows = Object.entries(manifest.tables).map(([t, e]) => `${t} ${e.rows.toLocaleString('en-US')}`).join(', ');
    out.write(`✔ sample snapshot in ${options.out} (${((Date.now() - started) / 1000).toFixed(1)} s): ${rows}\n`);
    return 0;
  } catch (error) {
    progress.done();
    err.write(`kpiops: the sample could not be written: ${(error as Error).message}\n`);
    return 2;
  }
}
