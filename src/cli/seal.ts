import { existsSync, lstatSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { format } from '../diagnostics/format/index.js';
import { defaultId, formatAsOf, parseAsOf } from '../seal/as-of.js';
import { manifestDifferences, unclaimedFiles } from '../seal/compare.js';
import { afterAsOf, manifestText, sealedManifest } from '../seal/manifest.js';
import { unreadSources } from '../model/source-readers.js';
import { expectedTables } from '../seal/tables.js';
import { realDirectory } from '../source/inside.js';
import { MANIFEST, type SnapshotDir } from '../source/snapshot.js';
import { snapshotReader } from '../source/snapshot-reader.js';
import type { SnapshotSpec } from '../spec/snapshot.js';
import { jsonText, terminalText } from '../text/terminal.js';
import { checkManifest } from '../validate/manifest.js';
import { validateProject } from '../validate/project.js';
import { progress as makeProgress } from './progress.js';
import { snapshotDir } from '../pipeline/snapshot.js';

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

/** The manifest there is (none when sealing a folder without one), or the findings that stop the command. */
function readExisting(snapshot: SnapshotDir, check: boolean, texts: Map<string, string>): { spec?: SnapshotSpec; text?: string } | { problems: Diagnostic[] } {
  const present = lstatSync(join(snapshot.dir, MANIFEST), { throwIfNoEntry: false }) !== undefined;
  if (!present && !check) return {};
  const read = checkManifest(snapshot);
  if (read.text !== undefined) texts.set(read.path, read.text);
  if (!read.manifest) return { problems: read.diagnostics };
  return { spec: read.manifest.spec, ...(read.text !== undefined ? { text: read.text } : {}) };
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

  const validated = await validateProject(options.project);
  if (hasErrors(validated.diagnostics)) return finish(1, validated.diagnostics, validated.texts);
  const snapshot = snapshotDir(options.project, dir);
  const read = readExisting(snapshot, Boolean(options.check), validated.texts);
  if ('problems' in read) return finish(1, read.problems, validated.texts);
  const { spec: existing, text: existingText } = read;

  const project = validated.files.project!.spec;
  // A source's files may be left out while no KPI, brief or privacy rule reads it.
  const expected = expectedTables(project, unreadSources(project, validated.files.kpis.map((k) => k.spec), validated.files.scorecards.map((c) => c.spec)));
  const progress = makeProgress(s.err, Boolean(options.quiet) || json);
  const { sealTables } = await import('../engine/duckdb/seal-tables.js');
  let outcome: Awaited<ReturnType<typeof sealTables>>;
  try {
    outcome = await sealTables({ snapshot: snapshotReader(snapshot), tables: expected, ...(existing ? { manifest: existing } : {}), strict: Boolean(options.check), onStep: (step) => progress.step(`Sealing: ${step}`) });
  } finally {
    progress.done();
  }
  const asOf = given.asOf ?? existing?.as_of ?? formatAsOf((s.now ?? Date.now)());
  const findings = [...outcome.diagnostics, ...afterAsOf(expected, outcome.tables, asOf, snapshot.shownAs)];
  const shownManifest = `${snapshot.shownAs}/${MANIFEST}`;

  if (options.check) {
    const differences = [...findings, ...manifestDifferences({ manifest: existing!, expected, measured: outcome.tables, unclaimed: outcome.unclaimed, keepCoverage: Boolean(options.keepCoverage), shownAs: snapshot.shownAs })];
    if (differences.length > 0) return finish(1, differences, validated.texts, { manifest: shownManifest, matches: false });
    if (!json) s.out.write(`✔ ${terminalText(shownManifest)} matches the ${count(outcome.tables.size, 'table')} in ${terminalText(snapshot.shownAs)}\n`);
    return finish(0, [], validated.texts, { manifest: shownManifest, matches: true });
  }

  const unclaimed = unclaimedFiles(outcome.unclaimed, snapshot.shownAs);
  if (hasErrors(findings) || outcome.tables.size === 0) return finish(1, [...findings, ...unclaimed], validated.texts, { manifest: shownManifest, written: false });
  const id = options.id ?? existing?.id ?? defaultId(basename(realDirectory(snapshot.dir)), asOf);
  const manifest = sealedManifest(expected, outcome.tables, existing, { id, asOf, keepCoverage: Boolean(options.keepCoverage) });
  const text = manifestText(manifest, modelineFor(options.project, snapshot.dir, existingText));
  const changed = text !== existingText;
  if (changed) writeManifest(snapshot, text);
  if (!json) {
    s.out.write(`✔ ${terminalText(shownManifest)} ${changed ? (existing ? 'updated' : 'written') : 'already current'}: id ${terminalText(id)}, as_of ${asOf}\n`);
    const width = Math.max(...Object.keys(manifest.tables).map((t) => t.length));
    for (const [table, e] of Object.entries(manifest.tables)) {
      const complete = e.coverage_start && e.coverage_end ? `, complete from ${e.coverage_start} to ${e.coverage_end}` : e.coverage_end ? `, complete to ${e.coverage_end}` : '';
      s.out.write(`  ${table.padEnd(width)}  ${terminalText(e.file)}: ${count(e.rows, 'row')}${complete}\n`);
    }
    const absent = outcome.absent.map((t) => terminalText(t)).join(', ');
    if (outcome.absent.length > 0) s.out.write(`ℹ ${absent}: no ${outcome.absent.length === 1 ? 'file, and nothing reads it, so it is' : 'files, and nothing reads them, so they are'} left out\n`);
  }
  return finish(0, unclaimed, validated.texts, { manifest: shownManifest, written: changed, snapshot: manifest });
}
