import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/cli/run.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';


let sample: string;
beforeAll(async () => {
  sample = await smallCsvSample();
}, 60_000);
afterAll(removeTempDirs);

describe('kpiops run', () => {
  it('hides every value with fewer than 11 HCPs behind it, its count included (200 HCPs over 20 territories)', () => {
    const out = tempDir('kpiops-outbox-');
    const run = kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'rep_weekly', '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    const entries = (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { entries: OutboxEntry[] }).entries;
    // 20 reps; a territory with no target HCP in so small a sample has nothing to send.
    expect(entries).toHaveLength(20);
    for (const e of entries.filter((x) => x.status === 'skipped')) expect(e.reason).toMatch(/^no data for Territory /);
    const rendered = entries.filter((x) => x.status === 'rendered');
    expect(rendered.length).toBeGreaterThan(3);
    for (const e of rendered) {
      const text = readFileSync(e.files!.text, 'utf8');
      // About 10 HCPs per territory: values resting on fewer than 11 are hidden, count included, with no comparison.
      expect(text).toMatch(/^⊘ [A-Z][^:]+: fewer than 11 \(target [^)]+\) — Hidden \(privacy\), fewer than 11 behind the value\n {4}n = under 11\n/m);
      expect(text).not.toMatch(/^⊘ [^\n]*\n {4}n = under 11 · /m);
      expect(e.suppressed).toBeGreaterThan(0);
    }
  });

  it('says what is wrong with the arguments and exits 2', () => {
    expect(kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_weekly', '-q'])).toMatchObject({
      code: 2, stderr: 'kpiops: no scorecard "brand_weekly"; there are: brand_monthly, executive_quarterly, rep_weekly\n',
    });
    expect(kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'rep_weekly', '--period', '2026-10', '-q'])).toMatchObject({
      code: 2, stderr: 'kpiops: --period 2026-10 is a month, but rep_weekly is weekly\n',
    });
    expect(kpiops(['run', '-p', REPO, '--snapshot', join(sample, 'nowhere'), '-q']).code).toBe(1);
  });
});
