import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { exitCodeFor, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { format, type Format } from '../diagnostics/format/index.js';
import type { LoadedSnapshot } from '../engine/duckdb/load-snapshot.js';
import type { SnapshotDir } from '../source/snapshot.js';
import type { SnapshotSpec } from '../spec/snapshot.js';
import { terminalText } from '../text/terminal.js';
import { checkManifest } from '../validate/manifest.js';
import { validateProject, type ValidatedProject } from '../validate/project.js';
import { progress as makeProgress, type Progress } from './progress.js';

interface Output {
  write(s: string): unknown;
  isTTY?: boolean;
}

export interface ValidateOptions {
  project: string;
  format?: Format;
  snapshot?: string;
  quiet?: boolean;
}

const isDirectory = (path: string) => stat(path).then((s) => s.isDirectory(), () => false);

/** The snapshot directory, named relative to the project when it is inside it. */
export function snapshotDir(project: string, dir: string): SnapshotDir {
  const shown = relative(resolve(project), resolve(dir)).split('\\').join('/');
  return { dir: resolve(dir), shownAs: shown && !shown.startsWith('..') ? shown : resolve(dir) };
}

/** DuckDB's working memory: beyond it, large groupings spill to temporary files instead of growing. */
export const DEFAULT_MEMORY_LIMIT = '3GB';

/**
 * Runs the snapshot's manifest checks and load checks once the configuration is clean.
 * The caller closes the returned database.
 */
export async function checkSnapshot(validated: ValidatedProject, snapshot: SnapshotDir, progress: Progress, memoryLimit = DEFAULT_MEMORY_LIMIT): Promise<{ diagnostics: Diagnostic[]; loaded?: LoadedSnapshot; manifest?: SnapshotSpec; manifestText?: string }> {
  const manifest = checkManifest(snapshot);
  if (manifest.text !== undefined) validated.texts.set(manifest.path, manifest.text);
  if (!manifest.manifest) return { diagnostics: manifest.diagnostics };
  const { files } = validated;
  // DuckDB loads only when a snapshot is checked: validating YAML alone must start fast.
  const { loadSnapshot } = await import('../engine/duckdb/load-snapshot.js');
  const loaded = await loadSnapshot({
    project: files.project!.spec,
    channels: files.channels.map((c) => c.spec.id),
    kpis: files.kpis.map((k) => k.spec),
    scorecards: files.scorecards.map((c) => c.spec),
    snapshot,
    manifest: manifest.manifest.spec,
    manifestPath: manifest.path,
    memoryLimit,
    onStep: (step) => progress.step(`Loading snapshot: ${step}`),
  });
  return { diagnostics: loaded.diagnostics, loaded, manifest: manifest.manifest.spec, manifestText: manifest.text ?? '' };
}

/** `kpiops validate`: prints the findings and returns the exit code (0 clean, 1 errors, 2 usage or internal). */
export async function validateCommand(options: ValidateOptions, env: NodeJS.ProcessEnv, out: Output, err: NodeJS.WriteStream): Promise<number> {
  for (const dir of [options.project, options.snapshot]) {
    if (dir !== undefined && !(await isDirectory(dir))) {
      err.write(`kpiops: ${dir} is not a directory\n`);
      return 2;
    }
  }
  const validated = await validateProject(options.project);
  const { files, texts } = validated;
  const diagnostics = [...validated.diagnostics];
  // Only a clean project has the complete list of ids the editor schemas are compared with.
  if (!hasErrors(diagnostics)) {
    const [{ staleEditorSchemas }, { publishedSchema }] = await Promise.all([import('../editor/stale.js'), import('../validate/validators.js')]);
    diagnostics.push(...staleEditorSchemas(options.project, files, publishedSchema));
  }
  let tables = 0;
  let notes: string[] = [];
  if (options.snapshot !== undefined && files.project && !hasErrors(diagnostics)) {
    const progress = makeProgress(err, Boolean(options.quiet));
    try {
      const checked = await checkSnapshot(validated, snapshotDir(options.project, options.snapshot), progress);
      diagnostics.push(...checked.diagnostics);
      tables = checked.loaded?.tables.size ?? 0;
      notes = checked.loaded?.notes ?? [];
      checked.loaded?.db.close();
    } finally {
      progress.done();
    }
  }
  const name: Format = options.format ?? (env.GITHUB_ACTIONS === 'true' ? 'github' : 'stylish');
  const color = Boolean(out.isTTY) && !env.NO_COLOR;
  const text = format(name, diagnostics, { color, sources: texts });
  if (name !== 'stylish' || diagnostics.length > 0) out.write(text);
  else {
    const n = files.kpis.length + files.channels.length + files.scorecards.length + (files.project ? 1 : 0);
    const count = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
    out.write(`✔ ${count(n, 'file')} valid (${count(files.kpis.length, 'KPI')}, ${count(files.channels.length, 'channel')}, ${count(files.scorecards.length, 'scorecard')})\n`);
    if (options.snapshot !== undefined) out.write(`✔ snapshot ${options.snapshot}: ${count(tables, 'table')} loaded, every load check passed\n`);
  }
  // Said once, whatever the format: a table left out skips the checks against it.
  if (name === 'stylish') for (const note of notes) out.write(`ℹ ${terminalText(note)}\n`);
  return exitCodeFor(diagnostics);
}
