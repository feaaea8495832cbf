import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VALUES_NOTE } from '../../src/cli/publish-review.js';
import { readReviewArtifact } from '../../src/deliver/github/review-artifact.js';
import type { Impact } from '../../src/review/impact.js';
import { MARKER } from '../../src/review/report.js';
import { actionInputs, actionStep, expand, installKpiops, runActionStep, workflow } from '../support/action.js';
import { REPO } from '../support/demo-project.js';
import { startGitHub } from '../support/github-api.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);
let api: Awaited<ReturnType<typeof startGitHub>> | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const gitEnv = { GIT_AUTHOR_NAME: 'Analyst', GIT_AUTHOR_EMAIL: 'analyst@example.com', GIT_COMMITTER_NAME: 'Analyst', GIT_COMMITTER_EMAIL: 'analyst@example.com' };

/**
 * The base branch's checkout as the posting job has it: the demo project committed on
 * `main`, and the pull request's head commit fetched into git (not checked out). `dist` is
 * linked in so the workflow's `node dist/bin/kpiops.js` runs this build.
 */
function checkout(edit: { file: string; from: string; to: string }): { dir: string; base: string; head: string } {
  const dir = tempDir('kpiops-checkout-');
  for (const p of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...gitEnv }, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  const base = git('rev-parse', 'HEAD');
  git('checkout', '-q', '-b', 'fork-branch');
  const text = readFileSync(join(dir, edit.file), 'utf8');
  if (!text.includes(edit.from)) throw new Error(`${edit.file} has no ${edit.from}`);
  writeFileSync(join(dir, edit.file), text.replace(edit.from, edit.to));
  git('commit', '-q', '-am', 'head');
  const head = git('rev-parse', 'HEAD');
  git('checkout', '-q', 'main');
  symlinkSync(join(REPO, 'dist'), join(dir, 'dist'));
  return { dir, base, head };
}

/**
 * Runs the posting job as a workflow would: the reusable workflow's download step says where
 * the artifact goes (planted there), its `uses: ./.kpiops-action` step gives the action its
 * inputs, and the action's own posting step runs with bash in the checkout.
 */
async function runPostingStep(file: string, job: string, c: { dir: string; head: string }, plant: (artifact: string) => void, apiUrl: string) {
  const runnerTemp = tempDir('kpiops-runner-');
  const values = {
    'github.token': 'ghs_test', 'runner.temp': runnerTemp, 'github.event.workflow_run.id': '4242', 'github.base_ref': 'main',
    'github.event.workflow_run.head_sha': c.head, 'github.event.pull_request.head.sha': c.head, 'github.event.pull_request.number': '12',
    'inputs.working-directory': '.', 'inputs.node-version': '24',
  };
  const steps = workflow(join('.github/workflows', file)).jobs[job]!.steps;
  const download = steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
  const where = expand(String(download.with!.path!), values);
  const artifact = isAbsolute(where) ? where : join(c.dir, where);
  rmSync(artifact, { recursive: true, force: true });
  mkdirSync(artifact, { recursive: true });
  plant(artifact);
  const call = steps.find((s) => s.uses === './.kpiops-action' && s.with?.command === 'publish-review')!;
  const step = actionStep('Comment and check run', 'publish-review');
  expect(step.run, 'a run script gets event data through env, never through ${{ }}').not.toMatch(/\$\{\{/);
  installKpiops(c.dir);
  const run = await runActionStep(step, actionInputs(call, values), c.dir, {
    GITHUB_REPOSITORY: 'demo-pharma/kpis', GITHUB_API_URL: apiUrl, GITHUB_SHA: 'c'.repeat(40), RUNNER_TEMP: runnerTemp,
    GITHUB_STEP_SUMMARY: join(runnerTemp, 'summary.md'), NO_COLOR: '1',
  });
  return { code: run.code, stderr: run.stderr, artifact };
}

const pullRequest = (c: { base: string; head: string }) => (r: { method: string; template?: string }) => (r.method === 'GET' && r.template === '/repos/{owner}/{repo}/pulls/{pull_number}'
  ? { status: 200, body: { number: 12, head: { sha: c.head, ref: 'fork-branch' }, base: { sha: c.base, ref: 'main' } } } : undefined);

// A planted script proves it ran by writing this file.
const marker = join(tempDir('kpiops-marker-'), 'ran');
const evil = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'the artifact ran code'); module.exports = { pr: 12, head_sha: '${'0'.repeat(40)}' };\n`;

/** What the pull request's job claims: no errors, everything green, and a Markdown of its choosing. */
const claimsSuccess = (artifact: string, head: string) => {
  writeFileSync(join(artifact, 'pull-request.json'), JSON.stringify({ pr: 12, head_sha: head }));
  writeFileSync(join(artifact, 'review.json'), JSON.stringify({ version: 'review/v1', diff: { kpis: [], scorecards: [], channels: [], project: [], errors: [] } }));
  writeFileSync(join(artifact, 'bundle.json'), JSON.stringify({ markdown: `${MARKER}\nAll good, merge away`, conclusion: 'success', title: 'All good', annotations: [] }));
  writeFileSync(join(artifact, 'pull-request.json.js'), evil);
  writeFileSync(join(artifact, 'review.json.js'), evil);
};

// The pull request breaks reach: `upward` is not a direction (higher or lower).
const broken = { file: 'kpis/reach/reach.yaml', from: 'direction: higher', to: 'direction: upward' };
// The pull request halves reach's target: valid, and the values come from its job.
const retarget = { file: 'kpis/reach/reach.yaml', from: 'target:\n  value: 0.88\n', to: 'target:\n  value: 0.44\n' };

for (const [workflow, job] of [['kpiops-review-comment.yml', 'post'], ['kpiops-review.yml', 'post']] as const) {
  describe(`${workflow}: the posting job reads a hostile review artifact as data`, () => {
    let c: ReturnType<typeof checkout>;
    let good: ReturnType<typeof checkout>;
    beforeAll(() => {
      c = checkout(broken);
      good = checkout(retarget);
    });

    const refusesWithoutRunning = async (plant: (artifact: string, head: string) => void, message: RegExp) => {
      api = await startGitHub(pullRequest(c));
      const run = await runPostingStep(workflow, job, c, (a) => plant(a, c.head), api.url);
      expect(existsSync(marker), 'the planted script ran').toBe(false);
      expect(run.stderr).toMatch(message);
      expect(run.code).toBe(1);
      expect(api.comments).toEqual([]);
      expect(api.checkRuns.size).toBe(0);
    };

    it('a pull-request.json.js next to where pull-request.json should be is never run, and the artifact is refused', async () => {
      await refusesWithoutRunning((a) => writeFileSync(join(a, 'pull-request.json.js'), evil), /pull-request\.json is missing: the review artifact is incomplete; nothing is posted/);
    });

    it('a folder named pull-request.json with an index.js is never run, and the artifact is refused', async () => {
      await refusesWithoutRunning((a) => {
        mkdirSync(join(a, 'pull-request.json'));
        writeFileSync(join(a, 'pull-request.json', 'index.js'), evil);
        writeFileSync(join(a, 'pull-request.json', 'package.json'), JSON.stringify({ main: 'index.js' }));
      }, /pull-request\.json is not a regular file: refused; nothing is posted/);
    });

    it('an oversized review.json is refused before it is parsed', async () => {
      // 9 MiB of padding in valid JSON: refused by its size (the limit is 8 MiB = 8,388,608 bytes), not by its content.
      // '{"version":"review/v1","padding":"' is 34 bytes, then 9 × 1,048,576 = 9,437,184 x's and '"}': 9,437,220 bytes.
      await refusesWithoutRunning((a, head) => {
        writeFileSync(join(a, 'pull-request.json'), JSON.stringify({ pr: 12, head_sha: head }));
        writeFileSync(join(a, 'review.json'), `{"version":"review/v1","padding":"${'x'.repeat(9 * 1024 * 1024)}"}`);
      }, /review\.json is 9,437,220 bytes, more than the 8,388,608 a review artifact's file may have: refused; nothing is posted/);
    });

    it('a pull-request.json that is a symbolic link to a file outside the artifact is not followed', async () => {
      const outside = join(tempDir('kpiops-outside-'), 'elsewhere.json');
      await refusesWithoutRunning((a, head) => {
        writeFileSync(outside, JSON.stringify({ pr: 12, head_sha: head }));
        symlinkSync(outside, join(a, 'pull-request.json'));
      }, /pull-request\.json is a symbolic link: refused \(an artifact's files are read only as regular files\); nothing is posted/);
    });

    it('values whose status is not one kpiops writes are refused, not rendered', async () => {
      await refusesWithoutRunning((a, head) => {
        writeFileSync(join(a, 'pull-request.json'), JSON.stringify({ pr: 12, head_sha: head }));
        const impact = { scorecards: [], kpis: [{ id: 'reach', period: '2026-10', slices: [{ dims: {}, before: null, after: { display: '1', status: '<img src=x onerror=alert(1)>', symbol: '', n: 1 } }], unchanged: 0, flips: 0 }], recipients: [] };
        writeFileSync(join(a, 'review.json'), JSON.stringify({ version: 'review/v1', impact }));
      }, /review\.json is not a review artifact kpiops wrote: must be equal to one of the allowed values at \/impact\/kpis\/0\/slices\/0\/after\/status; nothing is posted/);
    });

    it('an artifact claiming success for a head with a validation error gets a failing check, decided from the head commit', async () => {
      api = await startGitHub(pullRequest(c));
      const run = await runPostingStep(workflow, job, c, (a) => claimsSuccess(a, c.head), api.url);
      expect(existsSync(marker), 'the planted script ran').toBe(false);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/✔ review comment created on #12, check run \d+ with 1 annotation, job summary; conclusion failure, decided from [0-9a-f]{7} by this job/);
      const [check] = [...api.checkRuns.values()].map((r) => r.body as { conclusion: string; head_sha: string; output: { title: string; summary: string; annotations: Array<{ path: string; start_line: number }> } });
      // One validation error. reach's file is invalid, not gone: no "removed, but still listed" problems follow from it.
      expect(check).toMatchObject({ conclusion: 'failure', head_sha: c.head, output: { title: '1 problem to fix' } });
      expect(check!.output.annotations.map((x) => `${x.path}:${x.start_line}`)).toEqual(['kpis/reach/reach.yaml:12']);
      expect(api.comments).toHaveLength(1);
      expect(api.comments[0]!.body).toContain('kpis/reach/reach.yaml:12:12');
      expect(api.comments[0]!.body).not.toContain('All good');
      expect(api.problems).toEqual([]);
    });

    it('a valid head gets a passing check and the job\'s values, labelled as the pull request\'s', async () => {
      // The values are the job's claim (reach 41.9% red → green against a halved target), shown but not checked.
      const impact: Impact = {
        scorecards: [{ scorecard: 'brand_monthly', period: '2026-10', audience: 3, kpis_changed: 1, status_flips: 1, recipients_affected: 1 }],
        kpis: [{ id: 'reach', period: '2026-10', slices: [{ dims: { brand: 'cardiora' }, before: { display: '41.9%', status: 'red', symbol: '▼', n: 2000 }, after: { display: '41.9%', status: 'green', symbol: '▲', n: 2000 } }], unchanged: 19, flips: 1 }],
        recipients: [{ scorecard: 'brand_monthly', name: 'Clara Weiss', email: 'clara.weiss@demo-pharma.example', reasons: ['reach'] }],
      };
      api = await startGitHub(pullRequest(good));
      const run = await runPostingStep(workflow, job, good, (a) => {
        writeFileSync(join(a, 'pull-request.json'), JSON.stringify({ pr: 12, head_sha: good.head }));
        writeFileSync(join(a, 'review.json'), JSON.stringify({ version: 'review/v1', impact }));
      }, api.url);
      expect(run.code, run.stderr).toBe(0);
      const [check] = [...api.checkRuns.values()].map((r) => r.body as { conclusion: string; output: { title: string } });
      expect(check).toMatchObject({ conclusion: 'success', output: { title: 'KPI changes reviewed' } });
      const body = api.comments[0]!.body;
      expect(body).toContain('`target.value` | `88.0%` | `44.0%`');
      expect(body).toContain(VALUES_NOTE);
      expect(body).toContain('| `brand_monthly` | 2026-10 | 1 | 1 | **1** of 3 |');
      expect(body.indexOf(VALUES_NOTE)).toBeLessThan(body.indexOf('**1 of 3 recipients**'));
      expect(api.problems).toEqual([]);
    });
  });
}

describe('publish-review outside a workflow', () => {
  it('a pull-request.json that is not JSON is named with the line and column where it breaks', () => {
    const dir = tempDir('kpiops-artifact-');
    // The closing brace is missing: the parser stops at the end of line 2, i.e. line 3, column 1.
    writeFileSync(join(dir, 'pull-request.json'), `{"pr": 12,\n "head_sha": "${'a'.repeat(40)}"\n`);
    expect(readReviewArtifact(dir)).toEqual({ problem: `${join(dir, 'pull-request.json')}:3:1: not JSON (Expected ',' or '}' after property value)` });
  });

  it('posts nothing for an outdated review: the pull request has moved on', async () => {
    const c = checkout(retarget);
    api = await startGitHub((r) => (r.method === 'GET' && r.template === '/repos/{owner}/{repo}/pulls/{pull_number}' ? { status: 200, body: { number: 12, head: { sha: 'd'.repeat(40) }, base: { sha: c.base, ref: 'main' } } } : undefined));
    const run = await runPostingStep('kpiops-review-comment.yml', 'post', c, (a) => writeFileSync(join(a, 'pull-request.json'), JSON.stringify({ pr: 12, head_sha: c.head })), api.url);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('pull request #12 is now at ddddddd, not');
    expect(run.stderr).toContain('the review is outdated and is not posted');
    expect(api.comments).toHaveLength(0);
    expect(api.checkRuns.size).toBe(0);
  });

  it('says how to fetch the head commit when the checkout does not have it', async () => {
    const c = checkout(retarget);
    const missing = 'e'.repeat(40);
    api = await startGitHub((r) => (r.method === 'GET' && r.template === '/repos/{owner}/{repo}/pulls/{pull_number}' ? { status: 200, body: { number: 12, head: { sha: missing }, base: { sha: c.base, ref: 'main' } } } : undefined));
    const run = await runPostingStep('kpiops-review-comment.yml', 'post', { dir: c.dir, head: missing }, (a) => writeFileSync(join(a, 'pull-request.json'), JSON.stringify({ pr: 12, head_sha: missing })), api.url);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`does not have both ${c.base.slice(0, 7)} (the base) and eeeeeee (the head): check it out with fetch-depth: 0 and run git fetch origin ${missing} first`);
    expect(api.checkRuns.size).toBe(0);
  });
});
