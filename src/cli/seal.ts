import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { format } from '../diagnostics/format/index.js';
import { sealSnapshot } from '../pipeline/seal.js';
import { formatAsOf, parseAsOf } from '../seal/as-of.js';
import { manifestText } from '../seal/manifest.js';
import { MANIFEST, type SnapshotDir } from '../source/snapshot.js';
import { jsonText, terminalText } from '../text/terminal.js';
import { progress as makeProgress } from './progress.js';

export interface SealOptions {
  project: string;
  asOf?: string;
  id?: string;
  check?: boolean;
  keepCoverage?: boolean;
  format?: 'text' | 'json';
  quiet?: boolean;
}

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** The clock, for an as_of of "now". */
  now?: () => number;
}

const isDirectory = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;

/** The modeline pointing at the project's snapshot schema, else the one the manifest had. */
function modelineFor(project: string, dir: string, text: string | undefined): string | undefined {
  const schema = join(resolve(project), 'schemas', 'snapshot.schema.json');
  if (existsSync(schema)) return `# yaml-language-server: $schema=${relative(resolve(dir), schema).split('\\').join('/')}`;
  const first = text?.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0];
  return first && /^#\s*yaml-language-server:\s*\$schema=\S+/.test(first) ? first : undefined;
}

/** Replaces the manifest in one step (a half-written manifest is never left), and never writes through a link. */
function writeManifest(snapshot: SnapshotDir, text: string): void {
  const path = join(snapshot.dir, MANIFEST);
  const temporary = join(snapshot.dir, `.${MANIFEST}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** The options' usage errors, or the as_of given. */
function checkUsage(dir: string, options: SealOptions): { error: string } | { asOf?: string } {
  for (const d of [options.project, dir]) if (!isDirectory(d)) return { error: `${terminalText(d)} is not a directory` };
  if (options.check && (options.asOf !== undefined || options.id !== undefined)) return { error: '--check verifies the manifest as it is; --as-of and --id are for sealing' };
  if (options.id !== undefined && !/^[^\u0000-\u001f\u007f]+$/.test(options.id)) return { error: '--id must be a non-empty name on one line' };
  if (options.asOf === undefined) return {};
  const given = parseAsOf(options.asOf);
  return 'error' in given ? { error: terminalText(given.error) } : given;
}

const count = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/**
 * `kpiops snapshot seal DIR [--check]`: writes `snapshot.yaml` from the table files in DIR
 * (format, delimiter, rows, SHA-256, coverage_start, coverage_end), or with `--check` names every way the
 * manifest differs from them. Exit 0 written or matching, 1 findings, 2 usage.
 */
export async function sealCommand(dir: string, options: SealOptions, s: Streams): Promise<number> {
  const given = checkUsage(dir, options);
  if ('error' in given) {
    s.err.write(`kpiops: ${given.error}\n`);
    return 2;
  }
  const json = options.format === 'json';
  const print = (diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string>) => {
    if (!json && diagnostics.length > 0) s.out.write(format('stylish', diagnostics, { color: Boolean((s.out as NodeJS.WriteStream).isTTY) && !s.env.NO_COLOR, sources: texts }));
  };
  const finish = (code: number, diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string>, result: Record<string, unknown> = {}) => {
    if (json) s.out.write(`${jsonText({ ...result, diagnostics })}\n`);
    else print(diagnostics, texts);
    return code;
  };

  const progress = makeProgress(s.err, Boolean(options.quiet) || json);
  const sealing = await sealSnapshot({
    project: options.project, dir, check: Boolean(options.check), keepCoverage: Boolean(options.keepCoverage),
    ...(given.asOf !== undefined ? { asOf: given.asOf } : {}), ...(options.id !== undefined ? { id: options.id } : {}),
    now: () => formatAsOf((s.now ?? Date.now)()), onStep: (step) => progress.step(`Sealing: ${step}`),
  }).finally(() => progress.done());
  const { texts } = sealing;
  if (sealing.kind === 'stopped') return finish(1, sealing.diagnostics, texts);
  const manifestPath = sealing.manifestPath;
  if (sealing.kind === 'checked') {
    if (sealing.differences.length > 0) return finish(1, sealing.differences, texts, { manifest: manifestPath, matches: false });
    if (!json) s.out.write(`✔ ${terminalText(manifestPath)} matches the ${count(sealing.tables, 'table')} in ${terminalText(sealing.shownAs)}\n`);
    return finish(0, [], texts, { manifest: manifestPath, matches: true });
  }
  if (sealing.kind === 'refused') return finish(1, sealing.diagnostics, texts, { manifest: manifestPath, written: false });
  const { manifest, existing, id, asOf, absent } = sealing;
  const text = manifestText(manifest, modelineFor(options.project, sealing.snapshot.dir, existing?.text));
  const changed = text !== existing?.text;
  if (changed) writeManifest(sealing.snapshot, text);
  if (!json) {
    s.out.write(`✔ ${terminalText(manifestPath)} ${changed ? (existing ? 'updated' : 'written') : 'already current'}: id ${terminalText(id)}, as_of ${asOf}\n`);
    const width = Math.max(...Object.keys(manifest.tables).map((t) => t.length));
    for (const [table, e] of Object.entries(manifest.tables)) {
      const complete = e.coverage_start && e.coverage_end ? `, complete from ${e.coverage_start} to ${e.coverage_end}` : e.coverage_end ? `, complete to ${e.coverage_end}` : '';
      s.out.write(`  ${table.padEnd(width)}  ${terminalText(e.file)}: ${count(e.rows, 'row')}${complete}\n`);
    }
    const absentNames = absent.map((t) => terminalText(t)).join(', ');
    if (absent.length > 0) s.out.write(`ℹ ${absentNames}: no ${absent.length === 1 ? 'file, and nothing reads it, so it is' : 'files, and nothing reads them, so they are'} left out\n`);
  }
  return finish(0, sealing.unclaimed, texts, { manifest: manifestPath, written: changed, snapshot: manifest });
}
