import { execFileSync } from 'node:child_process';
import type { Kind } from '../spec/kinds.js';
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

function gitBytes(cwd: string, args: string[]): Buffer | undefined {
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

/** The project's files at a git revision, read from git's objects without touching the work tree. */
export interface RevisionFiles {
  inputs: { path: string; kind: Kind; bytes: Uint8Array }[];
  /** Template names (folders of templates/ holding an .mjml file). */
  templates: string[];
  /** Where the JSON Schemas of the kpiops the project uses are. */
  schemas: ReturnType<typeof schemasFor>;
}

/**
 * The project's files as they are at a git revision, the kpiops.yaml first. Undefined when the
 * revision does not exist. `dir` is the project directory (it may be below the repository's root).
 */
export function filesAtRevision(dir: string, revision: string): RevisionFiles | undefined {
  const prefix = git(dir, ['rev-parse', '--show-prefix'])?.trim() ?? '';
  const listing = git(dir, ['ls-tree', '-r', '--name-only', '--full-tree', revision, '--', ...[PROJECT_FILE, ...LAYOUT.map((l) => l.dir), TEMPLATE_DIR].map((p) => `${prefix}${p}`)]);
  if (listing === undefined) return undefined;
  const paths = listing.split('\n').filter(Boolean).map((p) => p.slice(prefix.length)).sort();
  const inputs = paths.flatMap((path) => {
    const kind = kindOf(path);
    if (!kind) return [];
    const bytes = gitBytes(dir, ['show', `${revision}:${prefix}${path}`]);
    return bytes ? [{ path, kind, bytes: new Uint8Array(bytes) }] : [];
  });
  const templates = paths.filter((p) => p.startsWith(`${TEMPLATE_DIR}/`) && p.endsWith('.mjml') && p.split('/').length === 2).map((p) => p.slice(TEMPLATE_DIR.length + 1, -'.mjml'.length));
  return { inputs: [...inputs.filter((i) => i.kind === 'project'), ...inputs.filter((i) => i.kind !== 'project')], templates, schemas: schemasFor(dir) };
}

/** The commits between two dates that touch the project's definitions (kpiops.yaml, channels, KPIs), oldest first. */
export function definitionCommits(dir: string, since: Date, until: Date): { hash: string; at: string; subject: string }[] {
  const log = git(dir, ['log', '--format=%H %cI %s', `--since=${since.toISOString()}`, `--until=${until.toISOString()}`, '--', PROJECT_FILE, ...LAYOUT.filter((l) => l.kind !== 'scorecard' && l.kind !== 'alert').map((l) => l.dir)]);
  if (!log) return [];
  return log.split('\n').filter(Boolean).map((line) => {
    const [hash, at, ...subject] = line.split(' ');
    return { hash: hash!, at: at!, subject: subject.join(' ') };
  }).reverse();
}
