import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { definitionHistory } from '../../src/review/history.js';
import { projectAtRevision } from '../../src/validate/revision.js';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

/** A git repository holding the demo project, with commits at chosen dates. */
function repository() {
  const dir = tempDir('kpiops-git-');
  for (const p of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
  const git = (args: string[], date?: string) => execFileSync('git', args, {
    cwd: dir, encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Analyst', GIT_AUTHOR_EMAIL: 'analyst@example.com', GIT_COMMITTER_NAME: 'Analyst', GIT_COMMITTER_EMAIL: 'analyst@example.com', ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) },
  }).trim();
  git(['init', '-q', '-b', 'main']);
  const commit = (message: string, date: string) => {
    git(['add', '-A']);
    git(['commit', '-q', '-m', message], date);
    return git(['rev-parse', 'HEAD']);
  };
  const edit = (path: string, from: string, to: string) => {
    const text = readFileSync(join(dir, path), 'utf8');
    if (!text.includes(from)) throw new Error(`${path} has no ${from}`);
    writeFileSync(join(dir, path), text.replace(from, to));
  };
  return { dir, commit, edit };
}

describe('KPI definitions in git history', () => {
  it('finds the commit that changed a definition inside the window, and ignores wording and changes outside it', () => {
    const repo = repository();
    repo.commit('The demo catalog', '2026-05-10T09:00:00Z');
    repo.edit('kpis/reach/reach.yaml', 'description: >-', 'description: >-\n  Reworded.');
    repo.commit('Reach: reword the description', '2026-07-01T09:00:00Z');
    repo.edit('kpis/email/email_open_rate.yaml', 'event: opened', 'event: [opened, clicked]');
    const changed = repo.commit('Open rate: a click counts as an open', '2026-08-15T09:00:00Z');
    repo.edit('channels/email.yaml', 'weight: 1', 'weight: 2');
    repo.commit('Email engagement weighs double', '2026-11-20T09:00:00Z');
    const history = definitionHistory(repo.dir, new Date('2025-10-01T00:00:00Z'), new Date('2026-11-01T00:00:00Z'));
    expect([...history.keys()]).toEqual(['email_open_rate']);
    expect(history.get('email_open_rate')).toEqual([{ at: '2026-08-15T09:00:00.000Z', commit: changed, subject: 'Open rate: a click counts as an open' }]);
    // The November channel change is after the window; in a window that holds it, the KPIs weighing engagement move.
    // (Only KPIs that read channel definitions — engagement, weights, caps, modality — move; an email open rate does not.)
    const later = definitionHistory(repo.dir, new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z'));
    expect([...later.keys()]).toEqual(expect.arrayContaining(['cei', 'goal_attainment']));
    expect(later.get('cei')![0]!.subject).toBe('Email engagement weighs double');
    expect(later.has('email_open_rate')).toBe(false);
  });

  it('reads a project at a revision from git, whatever the work tree holds', () => {
    const repo = repository();
    const first = repo.commit('The demo catalog', '2026-05-10T09:00:00Z');
    repo.edit('kpis/reach/reach.yaml', 'name: Reach', 'name: Reach (edited, not committed)');
    const at = projectAtRevision(repo.dir, first)!;
    expect(at.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(at.files.kpis.find((k) => k.spec.id === 'reach')!.spec.name).toBe('Reach');
    expect(at.files.kpis).toHaveLength(30);
    expect(projectAtRevision(repo.dir, 'no-such-revision')).toBeUndefined();
    expect(definitionHistory(tempDir('kpiops-not-git-'), new Date(0), new Date())).toEqual(new Map());
  });
});
