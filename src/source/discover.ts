import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Kind } from '../spec/kinds.js';

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

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Finds the project's YAML files by kind, and its template names, in a stable order. */
export async function discover(root: string): Promise<{ files: FoundFile[]; templates: string[] }> {
  const files: FoundFile[] = [];
  const rootEntries = await readdir(root);
  if (rootEntries.includes(PROJECT_FILE)) files.push({ path: PROJECT_FILE, kind: 'project' });
  for (const { kind, dir } of LAYOUT) {
    const found = (await listFiles(join(root, dir))).filter(isYaml).map((f) => posix(relative(root, f))).sort();
    files.push(...found.map((path) => ({ path, kind })));
  }
  const templates = (await listFiles(join(root, TEMPLATE_DIR)))
    .map((f) => posix(relative(join(root, TEMPLATE_DIR), f)))
    .filter((f) => f.endsWith('.mjml') && !f.includes('/'))
    .map((f) => f.slice(0, -'.mjml'.length))
    .sort();
  return { files, templates };
}
