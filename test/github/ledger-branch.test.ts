import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actionInputs, actionStep, runActionStep, workflow } from '../support/action.js';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

const env = { ...process.env, GIT_AUTHOR_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@example.com', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '1' };
const sh = (cwd: string, cmd: string, args: string[]) => execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// The action's own script, run in the team's checkout (which has no copy of it).
const LEDGER = join(REPO, '.github/scripts/ledger.sh');

/** A clone of a bare "origin", as actions/checkout leaves it. */
function checkout(origin: string): string {
  const dir = join(tempDir('kpiops-runner-'), 'repo');
  sh('/', 'git', ['clone', '-q', origin, dir]);
  return dir;
}

/** A bare repository standing for GitHub, holding the project's branch (one commit) and no ledger branch yet. */
function projectOrigin(): string {
  const origin = join(tempDir('kpiops-origin-'), 'origin.git');
  sh('/', 'git', ['init', '-q', '--bare', origin]);
  const seed = checkout(origin);
  sh(seed, 'git', ['commit', '-q', '--allow-empty', '-m', 'project']);
  sh(seed, 'git', ['push', '-q', 'origin', 'HEAD:refs/heads/main']);
  return origin;
}

describe('the workflow\'s delivery ledger branch', () => {
  it('is restored empty the first time, saved, restored by the next run, and merged in order when two runs overlap', () => {
    const origin = projectOrigin();

    const a = checkout(origin);
    expect(sh(a, 'bash', [LEDGER, 'restore'])).toContain('ledger: 0 entries');
    appendFileSync(join(a, 'ledger/deliveries.jsonl'), '{"n":1,"status":"unknown"}\n');
    sh(a, 'bash', [LEDGER, 'save']);

    // A re-run starts from what the first run recorded.
    const b = checkout(origin);
    expect(sh(b, 'bash', [LEDGER, 'restore'])).toContain('ledger: 1 entries');
    // Two runs overlap: each appends, both save; the branch keeps every line, the earlier ones first.
    appendFileSync(join(b, 'ledger/deliveries.jsonl'), '{"n":2,"status":"sent"}\n');
    appendFileSync(join(a, 'ledger/deliveries.jsonl'), '{"n":3,"status":"sent"}\n');
    sh(a, 'bash', [LEDGER, 'save']);
    sh(b, 'bash', [LEDGER, 'save']);
    const c = checkout(origin);
    sh(c, 'bash', [LEDGER, 'restore']);
    expect(readFileSync(join(c, 'ledger/deliveries.jsonl'), 'utf8')).toBe('{"n":1,"status":"unknown"}\n{"n":3,"status":"sent"}\n{"n":2,"status":"sent"}\n');
    // The project's own branch is untouched.
    expect(sh(c, 'git', ['log', '--format=%s', 'origin/main'])).toBe('project\n');
  });

  it('refuses to start from an empty ledger when the branch cannot be read', () => {
    const origin = projectOrigin();
    const a = checkout(origin);
    sh(a, 'git', ['remote', 'set-url', 'origin', join(origin, '..', 'gone.git')]);
    let failure: { status: number; stdout: string } | undefined;
    try {
      sh(a, 'bash', [LEDGER, 'restore']);
    } catch (e) {
      failure = e as { status: number; stdout: string };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stdout).toContain('::error::could not read the delivery ledger from kpiops-ledger; refusing to start from an empty one');
  });

  it('is pushed while the run sends, and once more when it stops', async () => {
    const origin = join(tempDir('kpiops-origin-'), 'origin.git');
    sh('/', 'git', ['init', '-q', '--bare', origin]);
    const a = checkout(origin);
    sh(a, 'git', ['commit', '-q', '--allow-empty', '-m', 'project']);
    sh(a, 'git', ['push', '-q', 'origin', 'HEAD:refs/heads/main']);
    sh(a, 'bash', [LEDGER, 'restore']);
    const watcher = spawn('bash', [LEDGER, 'watch'], { cwd: a, env: { ...env, LEDGER_SAVE_EVERY: '1' }, stdio: ['pipe', 'ignore', 'ignore'] });
    watcher.stdin.end('\n'); // no token: a local origin
    const onBranch = () => {
      try {
        return execFileSync('git', ['--git-dir', origin, 'show', 'kpiops-ledger:deliveries.jsonl'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      } catch {
        return '';
      }
    };
    appendFileSync(join(a, 'ledger/deliveries.jsonl'), '{"n":1,"status":"sent"}\n');
    // Pushed within a few intervals, while the run is still going.
    for (let i = 0; i < 100 && !onBranch().includes('"n":1'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(onBranch()).toBe('{"n":1,"status":"sent"}\n');
    appendFileSync(join(a, 'ledger/deliveries.jsonl'), '{"n":2,"status":"sent"}\n');
    sh(a, 'bash', [LEDGER, 'stop']);
    expect(onBranch()).toBe('{"n":1,"status":"sent"}\n{"n":2,"status":"sent"}\n');
    await new Promise((r) => (watcher.exitCode === null ? watcher.on('exit', r) : r(null)));
    expect(watcher.exitCode).toBe(0);
  }, 30_000);

  it('names the send from the inputs and the period from the snapshot, and refuses a period that is not one', async () => {
    const snapshot = await smallCsvSample();
    const dir = tempDir('kpiops-what-');
    const out = join(dir, 'out');
    const call = workflow('.github/workflows/kpiops-send.yml').jobs.what!.steps.find((s) => s.uses === './.kpiops-action')!;
    const step = actionStep('Which scorecard and period', 'plan-send');
    // The action's own step, with the inputs kpiops-send.yml gives it, in kpiops's repository (which has the CLI).
    const plan = async (inputs: Record<string, string>) => {
      const values = { 'inputs.working-directory': '.', 'inputs.node-version': '24', 'inputs.snapshot': snapshot, 'inputs.sample': 'false', 'inputs.period': '', 'inputs.schedule': '', 'inputs.dry-run': 'true', 'github.token': 'ghs_test', 'github.base_ref': '', ...inputs };
      writeFileSync(out, '');
      // A cache of its own: npx links this package's bin there, and a link left by an older build would point elsewhere.
      const run = await runActionStep(step, actionInputs(call, values), REPO, { GITHUB_OUTPUT: out, npm_config_cache: join(dir, 'npm-cache') });
      return { ...run, output: readFileSync(out, 'utf8') };
    };
    // The sample's as_of is 2026-11-01T00:00Z: ISO week 44 (26 Oct – 1 Nov) is not complete, 43 is the last that is.
    expect((await plan({ 'inputs.scorecard': 'rep_weekly', 'inputs.dry-run': 'false' })).output).toBe('scorecard=rep_weekly\nperiod=2026-W43\ndry-run=false\n');
    expect((await plan({ 'inputs.scorecard': 'brand_monthly' })).output).toBe('scorecard=brand_monthly\nperiod=2026-10\ndry-run=true\n');
    const injected = await plan({ 'inputs.scorecard': 'brand_monthly', 'inputs.period': '2026-10; rm -rf /' });
    expect(injected.code).toBe(1);
    expect(injected.stderr).toContain("::error::period must look like 2026-10, 2026-Q3 or 2026-W43 (got '2026-10; rm -rf /')");
    // A scheduled run gives its cron line; the scorecard whose schedule.cron it is is sent.
    expect((await plan({ 'inputs.scorecard': '', 'inputs.schedule': '17 5 4 * *' })).output).toBe('scorecard=brand_monthly\nperiod=2026-10\ndry-run=true\n');
    const unscheduled = await plan({ 'inputs.scorecard': '', 'inputs.schedule': '0 9 * * 1' });
    expect(unscheduled.code).toBe(1);
    expect(unscheduled.stderr).toContain('✖ no scorecard has schedule.cron "0 9 * * 1"');
    // Neither a scorecard nor a cron line.
    const none = await plan({ 'inputs.scorecard': '' });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('::error::no scorecard to send: the workflow gives none for this event');
  }, 60_000);
});
