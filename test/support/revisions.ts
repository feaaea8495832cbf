import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './demo-project.js';
import { tempDir } from './snapshots.js';

/** Replaces exact text in one file of the project (the text must occur). */
export type Edit = (path: string, from: string, to: string) => void;

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'Analyst', GIT_AUTHOR_EMAIL: 'analyst@example.com', GIT_COMMITTER_NAME: 'Analyst', GIT_COMMITTER_EMAIL: 'analyst@example.com' };
const PROJECT = ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates'];

/** The demo project's files copied to a fresh folder. */
export function demoCopy(prefix = 'kpiops-project-'): string {
  const dir = tempDir(prefix);
  for (const p of PROJECT) cpSync(join(REPO, p), join(dir, p), { recursive: true });
  return dir;
}

/** A git repository whose HEAD~1 is the demo project and HEAD the demo with `change` made (possibly none). */
export function twoCommits(change: (edit: Edit, dir: string) => void, prefix = 'kpiops-review-'): string {
  const dir = demoCopy(prefix);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: gitEnv });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  change((path, from, to) => {
    const text = readFileSync(join(dir, path), 'utf8');
    if (!text.includes(from)) throw new Error(`${path} has no ${from}`);
    writeFileSync(join(dir, path), text.replace(from, to));
  }, dir);
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', 'head');
  return dir;
}
