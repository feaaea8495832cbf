import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { action, workflow } from '../support/action.js';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

const send = workflow('.github/workflows/kpiops-send.yml');
const caller = workflow('.github/workflows/scorecards.yml');
const files = ['kpiops-send.yml', 'kpiops-alert.yml', 'kpiops-review.yml', 'kpiops-review-comment.yml', 'kpi-review.yml', 'kpi-review-comment.yml', 'scorecards.yml', 'alerts.yml', 'release.yml'];
const allSteps = [...files.flatMap((f) => Object.values(workflow(join('.github/workflows', f)).jobs).flatMap((j) => j.steps ?? [])), ...action.runs.steps];
const forSend = action.runs.steps.filter((s) => s.if?.includes("inputs.command == 'send'"));

describe('the scorecards send', () => {
  it('names its concurrency group by the resolved scorecard and period, so a scheduled and a manual send of one period queue', () => {
    const job = send.jobs.send!;
    expect(job.needs).toBe('what');
    expect(job.concurrency?.group).toBe('scorecards-${{ needs.what.outputs.scorecard }}-${{ needs.what.outputs.period }}');
    expect(send.jobs.what!.outputs?.period).toBe('${{ steps.what.outputs.period }}');
    // The send runs the period the first job resolved, never its own default.
    const call = job.steps.find((s) => s.uses === './.kpiops-action')!;
    expect(call.with).toMatchObject({ command: 'send', scorecard: '${{ needs.what.outputs.scorecard }}', period: '${{ needs.what.outputs.period }}' });
    expect(readFileSync(join(REPO, '.github/scripts/send.sh'), 'utf8')).toContain('--period "$PERIOD"');
  });

  it('keeps no credentials in any checkout, hands the token only to the ledger steps of a send, and the SMTP secrets only to the step that sends', () => {
    for (const s of allSteps.filter((x) => x.uses?.startsWith('actions/checkout@'))) expect(s.with?.['persist-credentials']).toBe(false);
    expect(forSend.filter((s) => JSON.stringify(s.env).includes('inputs.github-token')).map((s) => s.name)).toEqual(['Restore the delivery ledger', 'Save the delivery ledger while sending', 'Save the delivery ledger']);
    expect(action.runs.steps.filter((s) => JSON.stringify(s.env ?? {}).includes('inputs.smtp-')).map((s) => s.name)).toEqual(['Render and send', 'Judge the alerts and send']);
    expect(action.runs.steps.find((s) => s.name === 'Save the delivery ledger')?.if).toBe("always() && inputs.command == 'send'");
    // Secrets are passed by name, never all of them.
    expect(caller.jobs.send!.secrets).not.toBe('inherit');
    expect(Object.keys(caller.jobs.send!.secrets ?? {})).toEqual(['KPIOPS_SMTP_HOST', 'KPIOPS_SMTP_PORT', 'KPIOPS_SMTP_USER', 'KPIOPS_SMTP_PASSWORD']);
  });

  it('runs only the action\'s own scripts, never the caller\'s checkout', () => {
    for (const s of action.runs.steps.filter((x) => x.run?.includes('.github/scripts/'))) expect(s.run).toMatch(/^(printf [^|]*\| env -u LEDGER_TOKEN nohup )?bash "\$ACTION_PATH\/\.github\/scripts\//);
    for (const s of action.runs.steps.filter((x) => x.env?.ACTION_PATH)) expect(s.env!.ACTION_PATH).toBe('${{ github.action_path }}');
  });

  it('leaves the scorecard of a scheduled run to the scorecards\' own cron, and a manual run is a dry run unless asked', () => {
    const crons = (caller.on.schedule as Array<{ cron: string }>).map((c) => c.cron);
    expect(crons.length).toBe(3);
    // No cron line is repeated in the job: the scorecard whose schedule.cron it is is sent (`kpiops schedule --cron`).
    expect(caller.jobs.send!.with).toMatchObject({
      scorecard: "${{ github.event_name == 'workflow_dispatch' && inputs.scorecard || '' }}",
      schedule: "${{ github.event_name == 'schedule' && github.event.schedule || '' }}",
    });
    for (const cron of crons) expect(JSON.stringify(caller.jobs)).not.toContain(cron);
    expect(send.jobs.what!.steps.find((s) => s.uses === './.kpiops-action')?.with).toMatchObject({ scorecard: '${{ inputs.scorecard }}', schedule: '${{ inputs.schedule }}' });
    expect(caller.jobs.send!.with!['dry-run']).toBe("${{ github.event_name == 'workflow_dispatch' && inputs.dry_run }}");
    expect(send.on.workflow_call).toMatchObject({ inputs: { 'dry-run': { type: 'boolean', default: true } } });
  });

  it('pins every action to a commit', () => {
    for (const s of allSteps.filter((x) => x.uses && !x.uses.startsWith('./'))) expect(s.uses).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
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
