import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { initCommand } from '../../src/cli/init.js';
import { scheduleCommand, type ScheduleOptions } from '../../src/cli/schedule.js';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

async function schedule(options: ScheduleOptions) {
  const out = new PassThrough();
  const err = new PassThrough() as unknown as NodeJS.WriteStream;
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += String(d)));
  (err as unknown as PassThrough).on('data', (d) => (stderr += String(d)));
  const code = await scheduleCommand(options, { out, err, env: {} });
  return { code, stdout, stderr };
}

function copyOfDemo(): string {
  const dir = tempDir('kpiops-schedule-');
  for (const p of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates', '.github']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
  return dir;
}

describe('kpiops schedule', () => {
  it('prints the scorecard a scheduled run\'s cron line sends, and fails on a cron no scorecard has', async () => {
    expect(await schedule({ project: REPO, cron: '23 6 6 1,4,7,10 *' })).toEqual({ code: 0, stdout: 'executive_quarterly\n', stderr: '' });
    const none = await schedule({ project: REPO, cron: '0 9 * * 1' });
    expect(none).toMatchObject({ code: 1, stdout: '' });
    expect(none.stderr).toBe('✖ no scorecard has schedule.cron "0 9 * * 1"\n');
  });

  it('--check passes on this repository\'s scorecards and workflow', async () => {
    expect(await schedule({ project: REPO, check: true })).toEqual({ code: 0, stdout: '', stderr: '✔ .github/workflows/scorecards.yml lists the schedule of every scorecard (3 scheduled)\n' });
  });

  it('--check names the scorecard file, line and column of a cron the workflow lacks, and the workflow line left without a scorecard', async () => {
    const dir = copyOfDemo();
    const path = join(dir, 'scorecards/brand_monthly.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('cron: "17 5 4 * *"', 'cron: "19 5 4 * *"'));
    const check = await schedule({ project: dir, check: true });
    expect(check.code).toBe(1);
    // `  cron: "19 5 4 * *"` is line 11 of the file; its value starts at column 9. In the
    // workflow, `    - cron: "17 5 4 * *"` has its value at column 13 (4 spaces, "- ", "cron: ").
    const line = readFileSync(join(dir, '.github/workflows/scorecards.yml'), 'utf8').split('\n').findIndex((l) => l.includes('cron: "17 5 4 * *"')) + 1;
    expect(check.stderr).toBe(
      'scorecards/brand_monthly.yaml:11:9  error  scorecard brand_monthly is sent at "19 5 4 * *", but .github/workflows/scorecards.yml has no such cron line under on.schedule: add `- cron: "19 5 4 * *"` there, or it is never sent on its schedule\n'
      + `.github/workflows/scorecards.yml:${line}:13  error  the cron line "17 5 4 * *" is no scorecard's schedule.cron, so its runs would send nothing: remove it, or set it on the scorecard it is for\n`,
    );
  });

  it('--check passes on the project kpiops init scaffolds', async () => {
    const dir = tempDir('kpiops-schedule-init-');
    const sink = new PassThrough();
    expect(await initCommand(dir, { actionRepo: 'acme/kpiops', owner: '@acme/omnichannel' }, { out: sink, err: sink as unknown as NodeJS.WriteStream })).toBe(0);
    expect(await schedule({ project: dir, check: true })).toMatchObject({ code: 0 });
  });
});
