import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/demo-project.js';
import { kpiops } from '../support/cli.js';


const copies: string[] = [];
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The demo project with `cei` renamed to `engagement_index` (same measure), optionally committed to git before the rename. */
function renamedCei(committed: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpiops-rename-'));
  copies.push(dir);
  for (const part of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates']) cpSync(join(REPO, part), join(dir, part), { recursive: true });
  if (committed) {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'KPIs before the rename');
  }
  const to = join(dir, 'kpis/engagement/engagement_index.yaml');
  renameSync(join(dir, 'kpis/engagement/cei.yaml'), to);
  writeFileSync(to, readFileSync(to, 'utf8').replace('id: cei\n', 'id: engagement_index\n'));
  return dir;
}

const errorsOf = (stdout: string) => stdout.split('\n').filter((l) => /^\s+\d+:\d+\s+error/.test(l)).map((l) => l.trim().replace(/\s+/g, ' '));

describe('a scorecard naming a KPI that is not defined', () => {
  it('is told the KPI was renamed when a KPI with the same committed definition exists under a new id', async () => {
    const run = await kpiops(['validate', '-p', renamedCei(true)]);
    expect(run.code).toBe(1);
    expect(errorsOf(run.stdout)).toEqual([
      '21:5 error KPI cei is not defined; kpis/engagement/engagement_index.yaml defines the same measure as engagement_index: was it renamed? scorecard/unknown-kpi',
      '16:5 error KPI cei is not defined; kpis/engagement/engagement_index.yaml defines the same measure as engagement_index: was it renamed? scorecard/unknown-kpi',
      '20:5 error KPI cei is not defined; kpis/engagement/engagement_index.yaml defines the same measure as engagement_index: was it renamed? scorecard/unknown-kpi',
    ]);
  });

  it('outside git is not pointed at ces, a KPI that merely spells alike', async () => {
    const run = await kpiops(['validate', '-p', renamedCei(false)]);
    expect(run.code).toBe(1);
    expect(errorsOf(run.stdout)).toEqual(['21:5 error Unknown KPI "cei". scorecard/unknown-kpi', '16:5 error Unknown KPI "cei". scorecard/unknown-kpi', '20:5 error Unknown KPI "cei". scorecard/unknown-kpi']);
  });
});
