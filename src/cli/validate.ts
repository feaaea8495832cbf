import { stat } from 'node:fs/promises';
import { exitCodeFor, hasErrors } from '../diagnostics/diagnostic.js';
import { format, type Format } from '../diagnostics/format/index.js';
import { terminalText } from '../text/terminal.js';
import { validateProject } from '../validate/project.js';
import { publishedSchema } from '../validate/validators.js';
import { staleEditorSchemas } from '../editor/stale.js';

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
    // Imported with the command, not on demand: a module loaded later is read file by file
    // with the process idle between reads (about 15 ms for these few).
    diagnostics.push(...staleEditorSchemas(options.project, files, publishedSchema));
  }
  let tables = 0;
  let notes: string[] = [];
  let sources: ReadonlyMap<string, string> = texts;
  if (options.snapshot !== undefined && files.project && !hasErrors(diagnostics)) {
    // Only a run with --snapshot loads the snapshot reader and the spinner.
    const [{ openSnapshot, snapshotDir }, { progress: makeProgress }] = await Promise.all([import('../pipeline/snapshot.js'), import('./progress.js')]);
    const progress = makeProgress(err, Boolean(options.quiet));
    try {
      const checked = await openSnapshot(validated, snapshotDir(options.project, options.snapshot), { onStep: (step) => progress.step(`Loading snapshot: ${step}`) });
      diagnostics.push(...checked.diagnostics);
      sources = new Map([...texts, ...checked.texts]);
      tables = checked.open?.loaded.tables.size ?? 0;
      notes = checked.open?.loaded.notes ?? [];
      checked.open?.loaded.db.close();
    } finally {
      progress.done();
    }
  }
  const name: Format = options.format ?? (env.GITHUB_ACTIONS === 'true' ? 'github' : 'stylish');
  const color = Boolean(out.isTTY) && !env.NO_COLOR;
  const text = format(name, diagnostics, { color, sources });
  if (name !== 'stylish' || diagnostics.length > 0) out.write(text);
  else {
    const n = files.kpis.length + files.channels.length + files.scorecards.length + files.alerts.length + (files.project ? 1 : 0);
    const count = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
    out.write(`✔ ${count(n, 'file')} valid (${count(files.kpis.length, 'KPI')}, ${count(files.channels.length, 'channel')}, ${count(files.scorecards.length, 'scorecard')}${files.alerts.length > 0 ? `, ${count(files.alerts.length, 'alert')}` : ''})\n`);
    if (options.snapshot !== undefined) out.write(`✔ snapshot ${options.snapshot}: ${count(tables, 'table')} loaded, every load check passed\n`);
  }
  // Said once, whatever the format: a table left out skips the checks against it.
  if (name === 'stylish') for (const note of notes) out.write(`ℹ ${terminalText(note)}\n`);
  return exitCodeFor(diagnostics);
}
