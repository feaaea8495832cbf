import { exitCodeFor } from '../diagnostics/diagnostic.js';
import { format, type Format } from '../diagnostics/format/index.js';
import { validateProject } from '../validate/project.js';
import { stat } from 'node:fs/promises';

interface Output {
  write(s: string): unknown;
  isTTY?: boolean;
}

/** `kpiops validate`: prints the findings and returns the exit code (0 clean, 1 errors, 2 usage or internal). */
export async function validateCommand(options: { project: string; format?: Format }, env: NodeJS.ProcessEnv, out: Output): Promise<number> {
  const isDir = await stat(options.project).then((s) => s.isDirectory(), () => false);
  if (!isDir) {
    process.stderr.write(`kpiops: ${options.project} is not a directory\n`);
    return 2;
  }
  const { files, diagnostics, texts } = await validateProject(options.project);
  const name: Format = options.format ?? (env.GITHUB_ACTIONS === 'true' ? 'github' : 'stylish');
  const color = Boolean(out.isTTY) && !env.NO_COLOR;
  const text = format(name, diagnostics, { color, sources: texts });
  if (name !== 'stylish' || diagnostics.length > 0) out.write(text);
  else {
    const n = files.kpis.length + files.channels.length + files.scorecards.length + (files.project ? 1 : 0);
    const count = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
    out.write(`✔ ${count(n, 'file')} valid (${count(files.kpis.length, 'KPI')}, ${count(files.channels.length, 'channel')}, ${count(files.scorecards.length, 'scorecard')})\n`);
  }
  return exitCodeFor(diagnostics);
}
