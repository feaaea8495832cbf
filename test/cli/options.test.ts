import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

describe('option values are checked once, as the command line is read', () => {
  it.each([
    [['run', '--snapshot', '/no/such', '--ledger-wait', 'soon'], 'kpiops: --ledger-wait must be a whole number of seconds (got "soon")\n'],
    [['run', '--snapshot', '/no/such', '--ledger-wait', '-1'], 'kpiops: --ledger-wait must be a whole number of seconds (got "-1")\n'],
    [['eval', '--snapshot', '/no/such', '--memory-limit', 'lots'], 'kpiops: --memory-limit must be a size such as 3GB or 512MB (got "lots")\n'],
    [['run', '--snapshot', '/no/such', '--memory-limit', 'lots'], 'kpiops: --memory-limit must be a size such as 3GB or 512MB (got "lots")\n'],
    [['load-postgres', '--snapshot', '/no/such', '--memory-limit', 'lots'], 'kpiops: --memory-limit must be a size such as 3GB or 512MB (got "lots")\n'],
    [['plan', '--as-of', 'someday'], 'kpiops: --as-of must be a date or timestamp such as 2026-11-01 (got "someday")\n'],
    [['sample', '--out', '/tmp/x', '--hcps', '9'], 'kpiops: --hcps must be a whole number from 10 to 5000000 (got "9")\n'],
    [['sample', '--out', '/tmp/x', '--months', '61'], 'kpiops: --months must be a whole number from 3 to 60 (got "61")\n'],
    [['sample', '--out', '/tmp/x', '--end', '2026-13'], 'kpiops: --end must be a month such as 2026-10 (got "2026-13")\n'],
    [['eval'], 'kpiops: eval needs --snapshot DIR (or --engine postgres to run on a warehouse)\n'],
  ])('%j is a usage error (exit 2) that says what the value must be, and nothing else', async (args, stderr) => {
    expect(await kpiops(args)).toEqual({ code: 2, stdout: '', stderr });
  });

  it('a value with a control character is shown with it made visible, not sent to the terminal', async () => {
    const run = await kpiops(['run', '--snapshot', '/no/such', '--ledger-wait', '1\u001b[2J']);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stderr).toMatch(/^kpiops: --ledger-wait must be a whole number of seconds \(got "1.*\[2J"\)\n$/);
  });
});

describe('kpiops schedule through the command line', () => {
  const project = () => {
    const dir = tempDir('kpiops-options-schedule-');
    for (const p of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates', '.github']) cpSync(join(REPO, p), join(dir, p), { recursive: true });
    return dir;
  };

  it('exits 1 when no scorecard is sent on the cron line, and 2 when neither --cron nor --check is given', async () => {
    const dir = project();
    expect(await kpiops(['schedule', '-p', dir, '--cron', '1 2 3 4 5'])).toEqual({ code: 1, stdout: '', stderr: '✖ no scorecard has schedule.cron "1 2 3 4 5"\n' });
    expect(await kpiops(['schedule', '-p', dir])).toEqual({ code: 2, stdout: '', stderr: 'kpiops schedule: give either --cron "<cron line>" or --check [workflow]\n' });
  });
});
