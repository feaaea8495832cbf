import { lstatSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { START, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Kind } from '../spec/kinds.js';
import { leadsTo, realDirectory, refusal, refusalDiagnostic } from './inside.js';
import { diagnostic } from '../diagnostics/create.js';

/** Where each kind of file lives in a project. */
export const LAYOUT: ReadonlyArray<{ kind: Exclude<Kind, 'project' | 'snapshot'>; dir: string }> = [
  { kind: 'channel', dir: 'channels' },
  { kind: 'kpi', dir: 'kpis' },
  { kind: 'scorecard', dir: 'scorecards' },
  { kind: 'alert', dir: 'alerts' },
];
export const PROJECT_FILE = 'kpiops.yaml';
export const TEMPLATE_DIR = 'templates';

export interface FoundFile {
  /** Path relative to the project root, with `/` separators. */
  path: string;
  kind: Kind;
  /** Why the file is not read (a link out of the project or in a loop); reported as its diagnostic. */
  problem?: Diagnostic;
}

const isYaml = (name: string) => /\.ya?ml$/i.test(name);
const WITHIN = 'the project';

/** What the project holds at a path: links are followed only while they stay inside the project. */
type Entry = { type: 'file' | 'folder'; real: string } | { type: 'refused'; problem: Diagnostic; file: boolean } | { type: 'none' };

function entryAt(root: string, rel: string, dirent?: Dirent): Entry {
  const path = join(root, rel);
  const link = dirent ? dirent.isSymbolicLink() : lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink();
  if (!link) {
    const stat = dirent ?? statSync(path, { throwIfNoEntry: false });
    if (stat?.isFile()) return { type: 'file', real: path };
    // A folder below a followed link has a path through that link: loops are found by real paths.
    return stat?.isDirectory() ? { type: 'folder', real: realDirectory(path) } : { type: 'none' };
  }
  const leads = leadsTo(root, path);
  const refused = refusal(leads, WITHIN);
  if (refused) return { type: 'refused', problem: refusalDiagnostic(refused, rel), file: 'outside' in leads && statSync(leads.outside, { throwIfNoEntry: false })?.isFile() === true };
  if (!('real' in leads)) return { type: 'none' }; // a link to nothing holds nothing to read
  const stat = statSync(leads.real, { throwIfNoEntry: false });
  if (stat?.isFile()) return { type: 'file', real: leads.real };
  return stat?.isDirectory() ? { type: 'folder', real: leads.real } : { type: 'none' };
}

/**
 * Files below the folder `dir` (relative to `root`, with `/` separators), following links
 * that stay inside the project. A link out of it, or back into a folder it is in, is a
 * diagnostic naming the link; the rest of the folder is still read.
 */
function listFiles(root: string, dir: string, problems: Diagnostic[], found: FoundFileish[]): void {
  const top = entryAt(root, dir);
  if (top.type === 'none') return;
  if (top.type === 'refused') return void problems.push(top.problem);
  if (top.type === 'file') return void problems.push(diagnostic('file/unreadable', { reason: `${dir} is a file, but it must be a folder` }, { file: dir, range: START }));
  walk(root, dir, [root, top.real], problems, found);
}

type FoundFileish = { path: string; problem?: Diagnostic };

function walk(root: string, dir: string, ancestors: string[], problems: Diagnostic[], found: FoundFileish[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return void problems.push(diagnostic('file/unreadable', { reason: `the folder ${dir} cannot be read (${code})` }, { file: dir, range: START }));
  }
  for (const dirent of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = `${dir}/${dirent.name}`;
    const entry = entryAt(root, rel, dirent);
    if (entry.type === 'file') found.push({ path: rel });
    // A refused file is reported when it is a file of the folder's kind; a refused folder or loop always.
    else if (entry.type === 'refused' && entry.file) found.push({ path: rel, problem: entry.problem });
    else if (entry.type === 'refused') problems.push(entry.problem);
    else if (entry.type === 'folder' && ancestors.includes(entry.real)) problems.push(refusalDiagnostic({ code: 'file/link-loop', params: {} }, rel));
    else if (entry.type === 'folder') walk(root, rel, [...ancestors, entry.real], problems, found);
  }
}

/**
 * Finds the project's YAML files by kind, and its template names, in a stable order.
 * `root` may itself be a link; everything read must lie inside the folder it leads to.
 */
export async function discover(dir: string): Promise<{ files: FoundFile[]; templates: string[]; problems: Diagnostic[] }> {
  const root = realDirectory(dir);
  const files: FoundFile[] = [];
  const problems: Diagnostic[] = [];
  const project = entryAt(root, PROJECT_FILE);
  if (project.type === 'file') files.push({ path: PROJECT_FILE, kind: 'project' });
  if (project.type === 'refused') files.push({ path: PROJECT_FILE, kind: 'project', problem: project.problem });
  for (const { kind, dir: folder } of LAYOUT) {
    const found: FoundFileish[] = [];
    listFiles(root, folder, problems, found);
    files.push(...found.filter((f) => isYaml(f.path)).sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => ({ ...f, kind })));
  }
  const inTemplates: FoundFileish[] = [];
  listFiles(root, TEMPLATE_DIR, problems, inTemplates);
  // Templates are read when scorecards are rendered; a refused one is an error now, so nothing renders from it.
  problems.push(...inTemplates.flatMap((f) => (f.problem ? [f.problem] : [])));
  const templates = inTemplates
    .filter((f) => !f.problem)
    .map((f) => f.path.slice(TEMPLATE_DIR.length + 1))
    .filter((f) => f.endsWith('.mjml') && !f.includes('/'))
    .map((f) => f.slice(0, -'.mjml'.length))
    .sort();
  return { files, templates, problems };
}
