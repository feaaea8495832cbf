import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { START, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Kind } from '../spec/kinds.js';
import { diagnosticAt } from './yaml-file.js';

/** Where each kind of file lives in a project. */
export const LAYOUT: ReadonlyArray<{ kind: Exclude<Kind, 'project' | 'snapshot'>; dir: string }> = [
  { kind: 'channel', dir: 'channels' },
  { kind: 'kpi', dir: 'kpis' },
  { kind: 'scorecard', dir: 'scorecards' },
];
export const PROJECT_FILE = 'kpiops.yaml';
export const TEMPLATE_DIR = 'templates';

export interface FoundFile {
  /** Path relative to the project root, with `/` separators. */
  path: string;
  kind: Kind;
}

const isYaml = (name: string) => /\.ya?ml$/i.test(name);
const posix = (p: string) => p.split(sep).join('/');

/** A symbolic link counts as what it points to. */
const isFile = (path: string, entry: { isFile(): boolean; isSymbolicLink(): boolean }) =>
  entry.isFile() || (entry.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isFile() === true);

/** Files below `dir` (none when it does not exist); a folder that cannot be read is a diagnostic. */
async function listFiles(root: string, dir: string, problems: Diagnostic[]): Promise<string[]> {
  try {
    const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true });
    return entries.map((e) => [join(e.parentPath ?? e.path, e.name), e] as const).filter(([path, e]) => isFile(path, e)).map(([path]) => path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    const reason = code === 'ENOTDIR' ? `${dir} is a file, but it must be a folder` : `the folder ${dir} cannot be read (${code ?? String(error)})`;
    problems.push(diagnosticAt('file/unreadable', { reason }, dir, START));
    return [];
  }
}

/** Finds the project's YAML files by kind, and its template names, in a stable order. */
export async function discover(root: string): Promise<{ files: FoundFile[]; templates: string[]; problems: Diagnostic[] }> {
  const files: FoundFile[] = [];
  const problems: Diagnostic[] = [];
  const rootEntries = await readdir(root);
  if (rootEntries.includes(PROJECT_FILE)) files.push({ path: PROJECT_FILE, kind: 'project' });
  for (const { kind, dir } of LAYOUT) {
    const found = (await listFiles(root, dir, problems)).filter(isYaml).map((f) => posix(relative(root, f))).sort();
    files.push(...found.map((path) => ({ path, kind })));
  }
  const templates = (await listFiles(root, TEMPLATE_DIR, problems))
    .map((f) => posix(relative(join(root, TEMPLATE_DIR), f)))
    .filter((f) => f.endsWith('.mjml') && !f.includes('/'))
    .map((f) => f.slice(0, -'.mjml'.length))
    .sort();
  return { files, templates, problems };
}
