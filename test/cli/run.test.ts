import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recipientSlug, type OutboxEntry } from '../../src/cli/run.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';


let sample: string;
beforeAll(async () => {
  sample = await smallCsvSample();
}, 60_000);
afterAll(removeTempDirs);

describe('kpiops run', () => {
  it('hides every value with fewer than 11 HCPs behind it, its count included (200 HCPs over 20 territories)', async () => {
    const out = tempDir('kpiops-outbox-');
    const run = await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'rep_weekly', '--out', out, '-q']);
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
      expect(e.brief).toBe(true); // what keeps it out of the workflow's artifact
    }
  });

  it('says what is wrong with the arguments and exits 2', async () => {
    expect(await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_weekly', '-q'])).toMatchObject({
      code: 2, stderr: 'kpiops: no scorecard "brand_weekly"; there are: brand_monthly, executive_quarterly, rep_weekly\n',
    });
    expect(await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'rep_weekly', '--period', '2026-10', '-q'])).toMatchObject({
      code: 2, stderr: 'kpiops: --period 2026-10 is a month, but rep_weekly is weekly\n',
    });
    expect((await kpiops(['run', '-p', REPO, '--snapshot', join(sample, 'nowhere'), '-q'])).code).toBe(1);
  });
});

describe('outbox file names', () => {
  it('keep apart addresses that read alike: jonas-keller@ and jonas+keller@ each get their own territory\'s brief', async () => {
    const project = tempDir('kpiops-project-');
    for (const part of ['kpiops.yaml', 'kpis', 'channels', 'scorecards', 'templates']) cpSync(join(REPO, part), join(project, part), { recursive: true });
    const scorecard = join(project, 'scorecards/rep_weekly.yaml');
    writeFileSync(scorecard, readFileSync(scorecard, 'utf8')
      .replace('email: jonas.keller@demo-pharma.example', 'email: jonas-keller@demo-pharma.example')
      .replace('email: lucia.garcia@demo-pharma.example', 'email: jonas+keller@demo-pharma.example'));
    const out = tempDir('kpiops-outbox-');
    const run = await kpiops(['run', '-p', project, '--snapshot', sample, '--scorecard', 'rep_weekly', '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    const entries = (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { entries: OutboxEntry[] }).entries;
    const territory = (email: string) => {
      const e = entries.find((x) => x.email === email)!;
      return /^Territory (\S+) · /m.exec(readFileSync(e.files!.text, 'utf8'))?.[1];
    };
    // DE-T01 is Jonas Keller's territory in the demo, ES-T01 Lucía García's.
    expect(territory('jonas-keller@demo-pharma.example')).toBe('DE-T01');
    expect(territory('jonas+keller@demo-pharma.example')).toBe('ES-T01');
    expect(recipientSlug('jonas-keller@demo-pharma.example')).toMatch(/^jonas-keller_at_demo-pharma\.example-[0-9a-f]{8}$/);
    expect(recipientSlug('Jonas-Keller@Demo-Pharma.example')).toBe(recipientSlug('jonas-keller@demo-pharma.example'));
  });
});
