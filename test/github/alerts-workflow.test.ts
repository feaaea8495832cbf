import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { action, actionInputs, actionStep, installKpiops, runActionStep, workflow } from '../support/action.js';
import { REPO } from '../support/demo-project.js';
import { startSmtp } from '../support/smtp.js';
import { removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@example.com', GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '1' };
const sh = (cwd: string, cmd: string, args: string[]) => execFileSync(cmd, args, { cwd, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const LEDGER = join(REPO, '.github/scripts/ledger.sh');
const KPIOPS = join(REPO, 'dist/bin/kpiops.js');

const alertWorkflow = workflow('.github/workflows/kpiops-alert.yml');
const caller = workflow('.github/workflows/alerts.yml');
const forAlert = action.runs.steps.filter((s) => s.if?.includes("inputs.command == 'alert'"));
const STEPS = ['Restore the delivery ledger and the alert state', 'Judge the alerts and send', 'Save the delivery ledger and the alert state'];

/** What the origin's kpiops-ledger branch holds at that path, or undefined. */
const onBranch = (origin: string, path: string) => {
  const r = spawnSync('git', ['--git-dir', origin, 'show', `kpiops-ledger:${path}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : undefined;
};

/** A team's repository with the demo project (alerts and feed owners included), pushed to a bare origin. */
function teamRepo() {
  const dir = tempDir('kpiops-team-');
  for (const p of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates', 'alerts']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
  sh(dir, 'git', ['init', '-q', '-b', 'main']);
  sh(dir, 'git', ['add', '-A']);
  sh(dir, 'git', ['commit', '-q', '-m', 'project']);
  const origin = join(tempDir('kpiops-origin-'), 'origin.git');
  sh('/', 'git', ['clone', '-q', '--bare', dir, origin]);
  sh(dir, 'git', ['remote', 'add', 'origin', origin]);
  installKpiops(dir);
  return { dir, origin };
}

/** A `date` that always answers this instant: the run's time the alert step reads. */
function clockAt(instant: string) {
  const bin = tempDir('kpiops-clock-');
  writeFileSync(join(bin, 'date'), `#!/bin/sh\necho ${instant}\n`);
  chmodSync(join(bin, 'date'), 0o755);
  return { PATH: `${bin}:${process.env.PATH}` };
}

// The small sample's feeds end on 2026-10-31. As of 2026-11-03 06:37 the interactions,
// responses and recommendations feeds are 3 days old, and each arrives up to 1 day late:
// 3 feeds firing, each told to its one owner (kpiops.yaml). The email alert has only 3
// months of history (needs 4 past changes): no data, which it does not tell.
const FIRST = '2026-11-03T06:37:00Z';
const NEXT_DAY = '2026-11-04T06:37:00Z';
const told = (out: string) => out.split('\n').filter((l) => / → (firing|reminder|recovered)/.test(l));

describe('the alert state on the kpiops-ledger branch', () => {
  const alert = (dir: string, snapshot: string, asOf: string) => sh(dir, 'node', [KPIOPS, 'alert', '--snapshot', snapshot, '--as-of', asOf, '--state', 'ledger/alert-state.json', '--out', 'out/alerts', '-q']);

  it('is restored with the ledger, saved beside it, and a re-run from it tells nothing new; a scorecards send keeps it as it is', async () => {
    const snapshot = await smallCsvSample();
    const { dir, origin } = teamRepo();
    expect(sh(dir, 'bash', [LEDGER, 'restore', 'alerts'])).toBe('ledger: 0 entries\nalert state: none yet (the first alert run)\n');
    expect(told(alert(dir, snapshot, FIRST))).toHaveLength(3);
    expect(sh(dir, 'bash', [LEDGER, 'save'])).toBe('ledger saved (0 entries), alert state saved\n');
    const state = onBranch(origin, 'alert-state.json')!;
    expect(state).toBe(readFileSync(join(dir, 'ledger/alert-state.json'), 'utf8'));
    expect(JSON.parse(state)).toMatchObject({ evaluated_at: '2026-11-03T06:37:00.000Z', feeds: { 'interactions|freshness': { state: 'firing' } } });

    // A fresh runner the next day: the state comes back from the branch, and the feeds still
    // firing are not told again (their lifecycle has no reminder).
    const next = join(tempDir('kpiops-runner-'), 'repo');
    sh('/', 'git', ['clone', '-q', origin, next]);
    installKpiops(next);
    expect(sh(next, 'bash', [LEDGER, 'restore', 'alerts'])).toBe('ledger: 0 entries\nalert state: evaluated at 2026-11-03T06:37:00.000Z\n');
    const again = alert(next, snapshot, NEXT_DAY);
    expect(told(again)).toEqual([]);
    expect(again).toContain('✖ firing    interactions · freshness · All');
    sh(next, 'bash', [LEDGER, 'save']);
    expect(JSON.parse(onBranch(origin, 'alert-state.json')!)).toMatchObject({ evaluated_at: '2026-11-04T06:37:00.000Z' });

    // A scorecards send restores and saves the ledger only: the alert state stays the branch's.
    const send = join(tempDir('kpiops-runner-'), 'repo');
    sh('/', 'git', ['clone', '-q', origin, send]);
    sh(send, 'bash', [LEDGER, 'restore']);
    appendFileSync(join(send, 'ledger/deliveries.jsonl'), '{"n":1,"status":"sent"}\n');
    const before = onBranch(origin, 'alert-state.json');
    expect(sh(send, 'bash', [LEDGER, 'save'])).toBe('ledger saved (1 entries)\n');
    expect(onBranch(origin, 'deliveries.jsonl')).toBe('{"n":1,"status":"sent"}\n');
    expect(onBranch(origin, 'alert-state.json')).toBe(before);
  }, 60_000);

  it('is pushed only when the run changed it, so a run that did not keeps what another run saved meanwhile', () => {
    const { dir, origin } = teamRepo();
    sh(dir, 'bash', [LEDGER, 'restore', 'alerts']);
    writeFileSync(join(dir, 'ledger/alert-state.json'), '{"version":"alert-state/v1","evaluated_at":"A"}\n');
    sh(dir, 'bash', [LEDGER, 'save']);
    // Two runners restore state A; the second writes B; the first saves without a change of its own.
    const [a, b] = [1, 2].map(() => {
      const clone = join(tempDir('kpiops-runner-'), 'repo');
      sh('/', 'git', ['clone', '-q', origin, clone]);
      sh(clone, 'bash', [LEDGER, 'restore', 'alerts']);
      return clone;
    }) as [string, string];
    writeFileSync(join(b, 'ledger/alert-state.json'), '{"version":"alert-state/v1","evaluated_at":"B"}\n');
    sh(b, 'bash', [LEDGER, 'save']);
    expect(sh(a, 'bash', [LEDGER, 'save'])).toBe('ledger unchanged\n');
    expect(onBranch(origin, 'alert-state.json')).toBe('{"version":"alert-state/v1","evaluated_at":"B"}\n');
  });

  it('refuses to start from a fresh state when the branch cannot be read', () => {
    const { dir, origin } = teamRepo();
    sh(dir, 'git', ['remote', 'set-url', 'origin', join(origin, '..', 'gone.git')]);
    const run = spawnSync('bash', [LEDGER, 'restore', 'alerts'], { cwd: dir, env: gitEnv, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('::error::could not read the delivery ledger and the alert state from kpiops-ledger; refusing to start from an empty ledger and a fresh state (it would tell every open episode again)\n');
  });
});

describe('the action\'s alert steps', () => {
  const call = alertWorkflow.jobs.alert!.steps.find((s) => s.uses === './.kpiops-action')!;
  const inputsFor = (snapshot: string, dryRun: string, smtpPort = '') => ({
    ...actionInputs(call, {
      'inputs.working-directory': '.', 'inputs.node-version': '24', 'inputs.snapshot': snapshot, 'inputs.sample': 'false', 'inputs.dry-run': dryRun,
      'secrets.KPIOPS_SMTP_HOST': smtpPort ? '127.0.0.1' : '', 'secrets.KPIOPS_SMTP_PORT': smtpPort, 'secrets.KPIOPS_SMTP_USER': '', 'secrets.KPIOPS_SMTP_PASSWORD': '',
      'inputs.smtp-from': 'Demo Pharma analytics <alerts@demo-pharma.example>', 'inputs.smtp-reply-to': '', 'inputs.smtp-list-unsubscribe': '',
      'github.token': '', 'github.base_ref': '',
    }),
    // The test server has no certificate: plain SMTP on 127.0.0.1.
    'inputs.smtp-starttls': 'false',
  });
  /** The action's alert steps in order, as the runner runs them (the save also after a failure); their output. */
  const runSteps = async (dir: string, inputs: Record<string, string>, instant: string) => {
    let output = '';
    let failed = false;
    for (const name of STEPS) {
      if (failed && !actionStep(name, 'alert').if?.startsWith('always()')) continue;
      const run = await runActionStep(actionStep(name, 'alert'), inputs, dir, { NO_COLOR: '1', ...gitEnv, ...clockAt(instant) });
      output += `${run.stdout}${run.stderr}`;
      if (run.code !== 0) failed = true;
    }
    return { failed, output };
  };

  it('in a dry run, judge as of the run\'s time from a copy of the state and leave the branch\'s state as it was', async () => {
    const snapshot = await smallCsvSample();
    const { dir, origin } = teamRepo();
    const first = await runSteps(dir, inputsFor(snapshot, 'true'), FIRST);
    expect(first.failed, first.output).toBe(false);
    // The run's time, not the snapshot's as-of (2026-11-01), decides that the feeds are late.
    expect(first.output).toContain('✖ 18 series judged as of 2026-11-03T06:37:00.000Z');
    expect(told(first.output)).toHaveLength(3);
    // What would be sent is decided from the ledger (empty: the first run), and written to the outbox artifact.
    expect(first.output).toContain('✔ dry run: 3 would be sent, 0 skipped');
    expect(readdirSync(join(dir, 'out/alerts')).sort()).toEqual(['delivery-report.json', 'feed-interactions', 'feed-recommendations', 'feed-responses', 'summary.json', 'summary.md']);
    expect(onBranch(origin, 'deliveries.jsonl')).toBe('');
    expect(onBranch(origin, 'alert-state.json')).toBeUndefined();
    // Nothing was consumed: a second dry run shows the same three notices.
    rmSync(join(dir, 'ledger'), { recursive: true, force: true });
    expect(told((await runSteps(dir, inputsFor(snapshot, 'true'), NEXT_DAY)).output)).toHaveLength(3);
  }, 60_000);

  it('fail at the restore, with what is wrong, when the branch cannot be read, and judge nothing', async () => {
    const snapshot = await smallCsvSample();
    const { dir, origin } = teamRepo();
    sh(dir, 'git', ['remote', 'set-url', 'origin', join(origin, '..', 'gone.git')]);
    const run = await runSteps(dir, inputsFor(snapshot, 'false'), FIRST);
    expect(run.failed).toBe(true);
    expect(run.output).toContain('::error::could not read the delivery ledger and the alert state from kpiops-ledger; refusing to start from an empty ledger and a fresh state');
    expect(run.output).not.toContain('series judged');
  }, 60_000);

  it('restore, send each notice once through the SMTP inputs, push the state and the ledger, and send nothing new on the next day\'s run', async () => {
    const server = await startSmtp();
    try {
      const snapshot = await smallCsvSample();
      const { dir, origin } = teamRepo();
      const inputs = inputsFor(snapshot, 'false', String(server.port));
      const first = await runSteps(dir, inputs, FIRST);
      expect(first.failed, first.output).toBe(false);
      // The three late feeds' owners (kpiops.yaml), one notice each.
      expect(server.received.map((r) => r.email).sort()).toEqual(['crm-data@example.com', 'insights@example.com', 'nba@example.com']);
      const ledger = onBranch(origin, 'deliveries.jsonl')!.trim().split('\n').map((l) => JSON.parse(l) as { status: string });
      expect(ledger.filter((e) => e.status === 'sent')).toHaveLength(3);
      expect(JSON.parse(onBranch(origin, 'alert-state.json')!)).toMatchObject({ evaluated_at: '2026-11-03T06:37:00.000Z' });
      // The next day, on a fresh runner (nothing on disk): restored from the branch, nothing new to send.
      rmSync(join(dir, 'ledger'), { recursive: true, force: true });
      rmSync(join(dir, 'out'), { recursive: true, force: true });
      const next = await runSteps(dir, inputs, NEXT_DAY);
      expect(next.failed, next.output).toBe(false);
      expect(told(next.output)).toEqual([]);
      expect(server.received).toHaveLength(3);
      expect(JSON.parse(onBranch(origin, 'alert-state.json')!)).toMatchObject({ evaluated_at: '2026-11-04T06:37:00.000Z' });
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('the alerts workflows', () => {
  it('hand the token only to the ledger steps, the SMTP inputs only to the step that sends, and save also after a failure', () => {
    expect(forAlert.map((s) => s.name)).toEqual([STEPS[0], 'Save the delivery ledger and the alert state while sending', STEPS[1], STEPS[2]]);
    expect(forAlert.filter((s) => JSON.stringify(s.env).includes('inputs.github-token')).map((s) => s.name)).toEqual([STEPS[0], 'Save the delivery ledger and the alert state while sending', STEPS[2]]);
    expect(forAlert.filter((s) => JSON.stringify(s.env).includes('inputs.smtp-')).map((s) => s.name)).toEqual([STEPS[1]]);
    expect(forAlert.at(-1)?.if).toBe("always() && inputs.command == 'alert'");
    expect(readFileSync(join(REPO, '.github/scripts/alert.sh'), 'utf8')).toContain('--as-of "$as_of"');
  });

  it('queue a second run instead of cancelling the first, and push only with contents: write', () => {
    const job = alertWorkflow.jobs.alert!;
    expect(job.concurrency).toEqual({ group: 'kpiops-alerts', 'cancel-in-progress': false });
    expect(job.permissions).toEqual({ contents: 'write' });
    expect(caller.jobs.alert!.permissions).toEqual({ contents: 'write' });
    expect(alertWorkflow.on.workflow_call).toMatchObject({ inputs: { 'dry-run': { type: 'boolean', default: true } } });
  });

  it('run once a day off the hour; a scheduled run sends, a manual one is a dry run unless asked; secrets passed by name', () => {
    const crons = (caller.on.schedule as Array<{ cron: string }>).map((c) => c.cron);
    expect(crons).toEqual(['37 5 * * *']);
    expect(caller.on.workflow_dispatch).toMatchObject({ inputs: { dry_run: { type: 'boolean', default: true } } });
    expect(caller.jobs.alert!.with!['dry-run']).toBe("${{ github.event_name == 'workflow_dispatch' && inputs.dry_run }}");
    expect(Object.keys(caller.jobs.alert!.secrets ?? {})).toEqual(['KPIOPS_SMTP_HOST', 'KPIOPS_SMTP_PORT', 'KPIOPS_SMTP_USER', 'KPIOPS_SMTP_PASSWORD']);
  });
});
