import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

interface Step { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job { needs?: string; concurrency?: { group: string }; steps: Step[]; outputs?: Record<string, string> }
const workflow = parse(readFileSync(join(REPO, '.github/workflows/scorecards.yml'), 'utf8')) as { jobs: Record<string, Job> };
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

describe('the Scorecards workflow', () => {
  it('names its concurrency group by the resolved scorecard and period, so a scheduled and a manual send of one period queue', () => {
    const send = workflow.jobs.send!;
    expect(send.needs).toBe('what');
    expect(send.concurrency?.group).toBe('scorecards-${{ needs.what.outputs.scorecard }}-${{ needs.what.outputs.period }}');
    expect(workflow.jobs.what!.outputs?.period).toBe('${{ steps.what.outputs.period }}');
    // The send runs the period the first job resolved, never its own default.
    expect(send.steps.find((s) => s.name === 'Render and send')?.run).toContain('--period "$PERIOD"');
  });

  it('keeps no credentials in the checkout and hands the token only to the ledger steps', () => {
    for (const s of steps.filter((x) => x.uses?.startsWith('actions/checkout@'))) expect(s.with?.['persist-credentials']).toBe(false);
    const withToken = steps.filter((s) => JSON.stringify(s).includes('github.token'));
    expect(withToken.map((s) => s.name)).toEqual(['Restore the delivery ledger', 'Save the delivery ledger while sending', 'Save the delivery ledger']);
    for (const s of withToken) expect(s.run).toMatch(/\.github\/scripts\/ledger\.sh (restore|watch|stop)/);
    expect(steps.find((s) => s.name === 'Save the delivery ledger')?.if).toBe('always()');
  });

  it('pins every action to a commit', () => {
    for (const s of steps.filter((x) => x.uses)) expect(s.uses).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
  });
});

describe('the outbox artifact', () => {
  function outbox() {
    const dir = join(tempDir('kpiops-artifact-'), 'outbox');
    const entry = (scorecard: string, slug: string, brief: boolean) => {
      const base = join(dir, scorecard, 'p', slug);
      mkdirSync(`${base}.files`, { recursive: true });
      for (const ext of ['eml', 'html', 'txt', 'md']) writeFileSync(`${base}.${ext}`, 'x');
      return { scorecard, status: 'rendered', ...(brief ? { brief: true } : {}), files: { eml: `${base}.eml`, html: `${base}.html`, text: `${base}.txt`, markdown: `${base}.md` } };
    };
    const entries = [entry('rep_weekly', 'jonas', true), entry('brand_monthly', 'clara', false)];
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({ version: 'outbox/v1', entries }));
    return dir;
  }
  const run = (dir: string, keep?: string) => execFileSync('bash', [join(REPO, '.github/scripts/outbox-artifact.sh'), dir], { env: { ...process.env, ...(keep ? { KEEP_BRIEFS: keep } : {}) }, encoding: 'utf8' });

  it('leaves out the emails with an HCP brief by default, and keeps the rest', () => {
    const dir = outbox();
    expect(run(dir)).toBe('left out of the artifact: 1 emails with an HCP brief\n');
    for (const ext of ['eml', 'html', 'txt', 'md', 'files']) expect(existsSync(join(dir, 'rep_weekly/p', `jonas.${ext}`)), ext).toBe(false);
    for (const ext of ['eml', 'html', 'txt', 'md', 'files']) expect(existsSync(join(dir, 'brand_monthly/p', `clara.${ext}`)), ext).toBe(true);
    expect(existsSync(join(dir, 'summary.json'))).toBe(true);
  });

  it('keeps them when the run asked to', () => {
    const dir = outbox();
    run(dir, 'true');
    expect(existsSync(join(dir, 'rep_weekly/p/jonas.eml'))).toBe(true);
  });
});
