import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';

let sample: string;
beforeAll(async () => {
  // Data to the end of October 2026: the snapshot's as-of date is 2026-11-01.
  sample = await smallCsvSample();
});
afterAll(removeTempDirs);

const MARCH = "kpiops: 2027-03 starts after the snapshot's as-of date 2026-11-01, so the snapshot has no data for it; the latest month it covers is 2026-10\n";

describe('a --period that starts after the snapshot ends', () => {
  it('eval refuses it with exit 1, says why and names the latest month the data covers, and writes no results', async () => {
    const run = await kpiops(['eval', '-p', REPO, '--snapshot', sample, '--period', '2027-03', '-q']);
    expect(run).toEqual({ code: 1, stdout: '', stderr: MARCH });
  });

  it('run refuses it with exit 1 and renders nothing', async () => {
    const out = join(tempDir('kpiops-outbox-'), 'outbox');
    const run = await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_monthly', '--period', '2027-03', '--out', out, '-q']);
    expect(run).toEqual({ code: 1, stdout: '', stderr: MARCH });
  });

  it('diff refuses it with exit 1 before evaluating either revision', async () => {
    const dir = tempDir('kpiops-diff-');
    for (const part of ['kpiops.yaml', 'channels', 'kpis', 'scorecards', 'templates']) cpSync(join(REPO, part), join(dir, part), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    const reach = join(dir, 'kpis/reach/reach.yaml');
    writeFileSync(reach, readFileSync(reach, 'utf8').replace(/min_sample: \d+/, 'min_sample: 7'));
    const run = await kpiops(['diff', '-p', dir, '--base', 'HEAD', '--snapshot', sample, '--period', '2027-03', '-q']);
    expect(run).toEqual({ code: 1, stdout: '', stderr: MARCH });
  });

  it('eval of a quarter that has begun but is not over reports the last complete quarter and says why in words, never "lags P0D"', async () => {
    const run = await kpiops(['eval', '-p', REPO, '--snapshot', sample, '--period', '2026-Q4', '-q']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('  reported for an earlier period (2026-Q4 is not complete: data to 1 Nov 2026): cei (2026-Q3), ces (2026-Q3),');
    expect(run.stderr).not.toContain('P0D');
  });
});
