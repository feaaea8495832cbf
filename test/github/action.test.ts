import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readReviewArtifact } from '../../src/deliver/github/review-artifact.js';
import { actionInputs, actionStep, installKpiops, runActionStep, workflow, type Step } from '../support/action.js';
import { REPO } from '../support/demo-project.js';
import { startSmtp } from '../support/smtp.js';
import { removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

const lint = (...files: string[]) => spawnSync('node', [join(REPO, '.github/lint-workflows.mjs'), ...files], { cwd: REPO, encoding: 'utf8' });
const TEAM = 'docs/examples/team-workflows';

describe('the workflow lint', () => {
  it('finds nothing in the action, the reusable workflows, this repository\'s workflows and the example team workflows', () => {
    const run = lint();
    expect(run.stderr).toBe('✔ the action, the workflows and the example team workflows: actionlint and the pinning, injection, permissions and credentials checks found nothing\n');
    expect(run.status).toBe(0);
  });

  it('names each unsafe line of a team workflow: a kpiops branch, an action by tag, credentials kept, a ${{ }} in a script, a job without permissions', () => {
    const file = join(tempDir('kpiops-lint-'), 'review.yml');
    writeFileSync(file, [
      'name: KPI review',
      'on: pull_request',
      'permissions: {}',
      'jobs:',
      '  review:',
      '    uses: OWNER/kpiops/.github/workflows/kpiops-review.yml@main',
      '    with:',
      '      snapshot: snapshots/review',
      '  echo:',
      '    runs-on: ubuntu-latest',
      '    permissions: {}',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - run: echo "${{ github.head_ref }}"',
      '',
    ].join('\n'));
    const run = lint(file);
    expect(run.stderr.split('\n')).toEqual([
      `${file}:14:24: "github.head_ref" is potentially untrusted. avoid using it directly in inline scripts. instead, pass it through an environment variable. see https://docs.github.com/en/actions/security-guides/security-hardening-for-github-actions for more details [expression]`,
      `${file}:5:3: job "review" has no permissions: of its own; give it only what it needs [permissions]`,
      `${file}:6:11: "OWNER/kpiops/.github/workflows/kpiops-review.yml@main" is not pinned to a full commit SHA or a kpiops version tag (vX.Y.Z) [pinning]`,
      `${file}:13:15: "actions/checkout@v4" is not pinned to a full commit SHA [pinning]`,
      `${file}:13:15: job "echo" checks out without persist-credentials: false; the token would stay in .git/config for every later step [credentials]`,
      `${file}:14:14: job "echo" puts a \${{ }} expression in run:; pass it through env: instead [injection]`,
      '✖ 1 files: 6 findings',
      '',
    ]);
    expect(run.status).toBe(1);
  });

  it('reports a YAML error in a workflow as a finding with its line, instead of stopping', () => {
    // "(a mailto: or https: address)" unquoted: a colon and a space inside a plain value.
    const file = join(tempDir('kpiops-lint-'), 'send.yml');
    writeFileSync(file, 'name: x\non:\n  workflow_call:\n    inputs:\n      a:\n        description: a mailto: or https: address\n        type: string\njobs: {}\n');
    const run = lint(file);
    expect(run.stderr).toBe(`${file}:6:22: Nested mappings are not allowed in compact mappings [syntax]\n✖ 1 files: 1 findings\n`);
    expect(run.status).toBe(1);
  });

  it('checks the action\'s own steps: a script without shell:, or with ${{ }} in it, is named', () => {
    const file = join(tempDir('kpiops-lint-'), 'action.yml');
    writeFileSync(file, 'name: a\ndescription: a\nruns:\n  using: composite\n  steps:\n    - name: greet\n      run: echo "${{ inputs.who }}"\n');
    expect(lint(file).stderr.split('\n')).toEqual([
      `${file}:7:12: step "greet" puts a \${{ }} expression in run:; pass it through env: instead [injection]`,
      `${file}:7:12: a composite action's run: step needs shell: (bash) [shell]`,
      '✖ 1 files: 2 findings',
      '',
    ]);
  });
});

describe('the example team workflows', () => {
  const calls = [
    ['kpi-review.yml', 'review', 'kpiops-review.yml'],
    ['kpi-review-comment.yml', 'post', 'kpiops-review-comment.yml'],
    ['scorecards.yml', 'send', 'kpiops-send.yml'],
    ['alerts.yml', 'alert', 'kpiops-alert.yml'],
  ] as const;

  it.each(calls)('%s calls kpiops\'s reusable workflow by a version tag, with inputs and secrets it declares and every required one', (file, job, called) => {
    const caller = workflow(join(TEAM, file)).jobs[job]!;
    expect(caller.uses).toBe(`OWNER/kpiops/.github/workflows/${called}@v0.1.0`);
    const declared = workflow(join('.github/workflows', called)).on.workflow_call as { inputs?: Record<string, { required?: boolean }>; secrets?: Record<string, unknown> };
    const inputs = declared.inputs ?? {};
    for (const name of Object.keys(caller.with ?? {})) expect(Object.keys(inputs), `${file} passes ${name}`).toContain(name);
    for (const [name, spec] of Object.entries(inputs)) if (spec.required) expect(Object.keys(caller.with ?? {}), `${called} requires ${name}`).toContain(name);
    for (const name of Object.keys(caller.secrets ?? {})) expect(Object.keys(declared.secrets ?? {})).toContain(name);
  });

  it('are the calls this repository makes, with a team\'s ref and data instead of this repository\'s', () => {
    for (const [file, job, called] of calls) {
      const own = workflow(join('.github/workflows', file)).jobs[job]!;
      expect(own.uses).toBe(`./.github/workflows/${called}`);
      expect(own.permissions).toEqual(workflow(join(TEAM, file)).jobs[job]!.permissions);
    }
  });
});

describe('the action\'s install step', () => {
  const step = actionStep('Install the kpiops version the project pins');
  const install = (files: Record<string, string>) => {
    const dir = tempDir('kpiops-team-');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return runActionStep(step, {}, dir, { ACTION_PATH: REPO });
  };

  it('fails with what to do when kpiops is not one of the project\'s dependencies, instead of fetching whatever version is newest', async () => {
    const pkg = JSON.stringify({ name: 'team-kpis', private: true });
    const lock = JSON.stringify({ name: 'team-kpis', lockfileVersion: 3, requires: true, packages: { '': { name: 'team-kpis' } } });
    const run = await install({ 'package.json': pkg, 'package-lock.json': lock });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::kpiops is not a dependency of \S+\/package\.json: the action runs the version the project pins, so run npm install --save-dev kpiops and commit package\.json and package-lock\.json\n$/);
  }, 60_000);

  it('fails with what to do when the project has no lockfile to pin kpiops with', async () => {
    const run = await install({ 'package.json': JSON.stringify({ name: 'team-kpis', devDependencies: { kpiops: '*' } }) });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::\S+ has no package\.json and package-lock\.json: the kpiops action runs the kpiops version a project pins/);
  });

  it('takes no ${{ }} into a script and runs only scripts of the action', () => {
    const run = (s: Step) => s.run ?? '';
    expect(run(step)).toBe('bash "$ACTION_PATH/.github/scripts/install-kpiops.sh"');
    // Every kpiops it runs is the installed one: npx --no-install, never a version from the registry.
    for (const f of ['action.yml', ...readdirSync(join(REPO, '.github/scripts')).map((x) => `.github/scripts/${x}`)]) {
      const text = readFileSync(join(REPO, f), 'utf8');
      expect(text, f).not.toMatch(/npx (?!--no-install kpiops\b)/);
    }
  });
});

describe('the action\'s review step', () => {
  const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'Analyst', GIT_AUTHOR_EMAIL: 'analyst@example.com', GIT_COMMITTER_NAME: 'Analyst', GIT_COMMITTER_EMAIL: 'analyst@example.com' };
  /** A team's checkout of a pull request: the demo project on origin/main, the pull request's commit checked out. */
  function pullRequest(edit: { file: string; from: string; to: string }) {
    const dir = tempDir('kpiops-pr-');
    for (const p of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: gitEnv, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    const origin = join(tempDir('kpiops-origin-'), 'origin.git');
    execFileSync('git', ['clone', '-q', '--bare', dir, origin]);
    git('remote', 'add', 'origin', origin);
    git('fetch', '-q', 'origin');
    git('checkout', '-q', '-b', 'change');
    writeFileSync(join(dir, edit.file), readFileSync(join(dir, edit.file), 'utf8').replace(edit.from, edit.to));
    git('commit', '-q', '-am', 'head');
    installKpiops(dir);
    return { dir, head: git('rev-parse', 'HEAD') };
  }
  const review = async (pr: { dir: string; head: string }) => {
    const snapshot = await smallCsvSample();
    const call = workflow('.github/workflows/kpiops-review.yml').jobs.review!.steps.find((s) => s.id === 'review')!;
    const values = {
      'inputs.working-directory': '.', 'inputs.node-version': '24', 'inputs.snapshot': snapshot, 'inputs.sample': 'false', 'inputs.check-codeowners': 'false',
      'github.base_ref': 'main', 'github.event.pull_request.number': '12', 'github.event.pull_request.head.sha': pr.head, 'github.token': 'ghs_test',
    };
    const runner = tempDir('kpiops-runner-');
    const run = await runActionStep(actionStep('Validate, diff with impact, preview', 'review'), actionInputs(call, values), pr.dir, {
      GITHUB_OUTPUT: join(runner, 'output'), GITHUB_STEP_SUMMARY: join(runner, 'summary.md'), NO_COLOR: '1',
    });
    return { ...run, output: readFileSync(join(runner, 'output'), 'utf8'), summary: readFileSync(join(runner, 'summary.md'), 'utf8') };
  };

  it('leaves the review artifact and the preview of a valid change, with exit code 0', async () => {
    const pr = pullRequest({ file: 'kpis/reach/reach.yaml', from: 'target:\n  value: 0.88\n', to: 'target:\n  value: 0.44\n' });
    const run = await review(pr);
    expect(run.code, run.stderr).toBe(0);
    expect(run.output).toBe('exit-code=0\n');
    expect(JSON.parse(readFileSync(join(pr.dir, 'review/pull-request.json'), 'utf8'))).toEqual({ pr: 12, head_sha: pr.head });
    expect(readReviewArtifact(join(pr.dir, 'review'))).not.toHaveProperty('problem');
    expect(run.summary).toContain('`target.value` | `88.0%` | `44.0%`');
    expect(existsSync(join(pr.dir, 'preview/summary.json'))).toBe(true);
  }, 120_000);

  it('annotates a validation error, still writes the review, and outputs the diff\'s exit code instead of failing the step', async () => {
    const pr = pullRequest({ file: 'kpis/reach/reach.yaml', from: 'direction: higher', to: 'direction: upward' });
    const run = await review(pr);
    expect(run.code, run.stderr).toBe(0);
    expect(run.output).toBe('exit-code=1\n');
    expect(run.stdout).toMatch(/::error file=kpis\/reach\/reach\.yaml,line=12,/);
    expect(existsSync(join(pr.dir, 'review/review.json'))).toBe(true);
  }, 120_000);
});

describe('the action\'s send steps', () => {
  it('restore the ledger, resolve the period, send each recipient once through the SMTP inputs, push the ledger, and send nothing on a re-run', async () => {
    const server = await startSmtp();
    try {
      const snapshot = await smallCsvSample();
      const dir = tempDir('kpiops-team-');
      for (const p of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
      const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@example.com' };
      const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();
      git(dir, 'init', '-q', '-b', 'main');
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', 'project');
      const origin = join(tempDir('kpiops-origin-'), 'origin.git');
      execFileSync('git', ['clone', '-q', '--bare', dir, origin]);
      git(dir, 'remote', 'add', 'origin', origin);
      installKpiops(dir);

      const call = workflow('.github/workflows/kpiops-send.yml').jobs.send!.steps.find((s) => s.uses === './.kpiops-action')!;
      const values = {
        'inputs.working-directory': '.', 'inputs.node-version': '24', 'inputs.snapshot': snapshot, 'inputs.sample': 'false', 'inputs.keep-briefs': 'false',
        // plan-send's outputs: an empty period is resolved by the send step itself.
        'needs.what.outputs.scorecard': 'brand_monthly', 'needs.what.outputs.period': '', 'needs.what.outputs.dry-run': 'false',
        'secrets.KPIOPS_SMTP_HOST': '127.0.0.1', 'secrets.KPIOPS_SMTP_PORT': String(server.port), 'secrets.KPIOPS_SMTP_USER': '', 'secrets.KPIOPS_SMTP_PASSWORD': '',
        'inputs.smtp-from': 'Demo Pharma analytics <scorecards@demo-pharma.example>', 'inputs.smtp-reply-to': '', 'inputs.smtp-list-unsubscribe': '',
        'github.token': '', 'github.base_ref': '',
      };
      // The test server has no certificate: plain SMTP on 127.0.0.1.
      const inputs = { ...actionInputs(call, values), 'inputs.smtp-starttls': 'false' };
      const runSteps = async () => {
        const outputs = [];
        for (const name of ['Restore the delivery ledger', 'Render and send', 'Save the delivery ledger']) {
          const run = await runActionStep(actionStep(name, 'send'), inputs, dir, { NO_COLOR: '1', GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '1', ...gitEnv });
          expect(run.code, `${name}: ${run.stderr}${run.stdout}`).toBe(0);
          outputs.push(run.stderr + run.stdout);
        }
        return outputs.join('');
      };
      expect(await runSteps()).toContain('✔ 3 sent, 0 skipped, 0 failed');
      // brand_monthly's three brand leads (the demo's audience), the period resolved from the sample's as_of (1 Nov 2026): 2026-10.
      expect(server.received.map((r) => r.email).sort()).toEqual(['clara.weiss@demo-pharma.example', 'ines.navarro@demo-pharma.example', 'luca.bianchi@demo-pharma.example']);
      const ledger = execFileSync('git', ['--git-dir', origin, 'show', 'kpiops-ledger:deliveries.jsonl'], { encoding: 'utf8' });
      expect(ledger.trim().split('\n').map((l) => (JSON.parse(l) as { status: string; period: string })).filter((e) => e.status === 'sent' && e.period === '2026-10')).toHaveLength(3);
      // A re-run (a fresh runner: no ledger on disk) restores the branch's ledger and sends nothing.
      rmSync(join(dir, 'ledger'), { recursive: true, force: true });
      expect(await runSteps()).toContain('0 sent, 3 skipped');
      expect(server.received).toHaveLength(3);
    } finally {
      await server.close();
    }
  }, 180_000);
});
