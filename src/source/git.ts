import { execFileSync } from 'node:child_process';
import { projectDefinitionHashes } from '../evaluate/results.js';
import type { DefinitionChange } from '../scorecard/model.js';
import type { Kind } from '../spec/kinds.js';
import { validateSources, type ValidatedProject } from '../validate/project.js';
import { LAYOUT, PROJECT_FILE, TEMPLATE_DIR } from './discover.js';
import { schemasFor } from './package.js';

/** A git command in the project's directory; undefined when git or the repository is not there. */
function git(cwd: string, args: string[], maxBuffer = 1 << 26): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer });
  } catch {
    return undefined;
  }
}

function git1(cwd: string, args: string[]): Buffer | undefined {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 });
  } catch {
    return undefined;
  }
}

const kindOf = (path: string): Kind | undefined => {
  if (path === PROJECT_FILE) return 'project';
  if (!/\.ya?ml$/i.test(path)) return undefined;
  return LAYOUT.find((l) => path.startsWith(`${l.dir}/`))?.kind;
};

/**
 * The project as it is at a git revision, read from git's objects without touching the work
 * tree, and validated like one on disk. Undefined when the revision does not exist.
 * `dir` is the project directory (it may be below the repository's root).
 */
export function projectAtRevision(dir: string, revision: string): ValidatedProject | undefined {
  const prefix = git(dir, ['rev-parse', '--show-prefix'])?.trim() ?? '';
  const listing = git(dir, ['ls-tree', '-r', '--name-only', '--full-tree', revision, '--', ...[PROJECT_FILE, ...LAYOUT.map((l) => l.dir), TEMPLATE_DIR].map((p) => `${prefix}${p}`)]);
  if (listing === undefined) return undefined;
  const paths = listing.split('\n').filter(Boolean).map((p) => p.slice(prefix.length)).sort();
  const inputs = paths.flatMap((path) => {
    const kind = kindOf(path);
    if (!kind) return [];
    const bytes = git1(dir, ['show', `${revision}:${prefix}${path}`]);
    return bytes ? [{ path, kind, bytes: new Uint8Array(bytes) }] : [];
  });
  const project = inputs.filter((i) => i.kind === 'project');
  const rest = inputs.filter((i) => i.kind !== 'project');
  const templates = paths.filter((p) => p.startsWith(`${TEMPLATE_DIR}/`) && p.endsWith('.mjml') && p.split('/').length === 2).map((p) => p.slice(TEMPLATE_DIR.length + 1, -'.mjml'.length));
  return validateSources([...project, ...rest], templates, [], undefined, schemasFor(dir));
}

/** Each KPI's definition hash at the last commit (`HEAD`); empty outside a git repository or before the first commit. */
export function committedDefinitions(dir: string): Map<string, string> {
  const committed = projectAtRevision(dir, 'HEAD');
  return committed ? projectDefinitionHashes(committed.files) : new Map();
}

/**
 * Where KPI definitions changed between two dates (a trend window), from git history: every
 * commit touching the project's definitions in the window, compared with the commit before it, by definition
 * hash (so a reworded description is not a change, a new filter or channel weight is).
 * Empty when the project is not in a git repository.
 */
export function definitionHistory(dir: string, since: Date, until: Date): Map<string, DefinitionChange[]> {
  const out = new Map<string, DefinitionChange[]>();
  const log = git(dir, ['log', '--format=%H %cI %s', `--since=${since.toISOString()}`, `--until=${until.toISOString()}`, '--', PROJECT_FILE, ...LAYOUT.filter((l) => l.kind !== 'scorecard').map((l) => l.dir)]);
  if (!log) return out;
  const commits = log.split('\n').filter(Boolean).map((line) => {
    const [hash, at, ...subject] = line.split(' ');
    return { hash: hash!, at: at!, subject: subject.join(' ') };
  }).reverse();
  for (const c of commits) {
    const after = projectAtRevision(dir, c.hash);
    const before = projectAtRevision(dir, `${c.hash}^`);
    if (!after) continue;
    const now = projectDefinitionHashes(after.files);
    const then = before ? projectDefinitionHashes(before.files) : new Map<string, string>();
    for (const [id, hash] of now) {
      if (then.has(id) && then.get(id) !== hash) {
        if (!out.has(id)) out.set(id, []);
        out.get(id)!.push({ at: new Date(c.at).toISOString(), commit: c.hash, subject: c.subject });
      }
    }
  }
  return out;
}
