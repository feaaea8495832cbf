import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '../../src/review/report.js';
import { kpiops } from '../support/cli.js';
import { twoCommits } from '../support/revisions.js';
import { removeTempDirs, smallCsvSample } from '../support/snapshots.js';

let sample: string;
beforeAll(async () => {
  sample = await smallCsvSample();
}, 60_000);
afterAll(removeTempDirs);

async function diff(dir: string, withSnapshot = true): Promise<{ code: number; review: Review; stderr: string }> {
  const args = ['diff', '-p', dir, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json', '-q', ...(withSnapshot ? ['--snapshot', sample] : [])];
  const r = await kpiops(args);
  return { code: r.code, review: JSON.parse(r.stdout || '{}') as Review, stderr: r.stderr };
}

const flips = (review: Review, kpi: string) => review.impact!.kpis.find((k) => k.id === kpi)!.slices
  .filter((s) => s.before && s.after && s.before.status !== s.after.status)
  .map((s) => `${Object.values(s.dims).join(' · ') || 'total'}: ${s.before!.status} → ${s.after!.status}`);

describe('kpiops diff between two commits', () => {
  it('a target change: the field, the values unchanged, every status flip', async () => {
    const dir = twoCommits((edit) => edit('kpis/reach/reach.yaml', '{where: {brand: cardiora}, value: 0.44}', '{where: {brand: cardiora}, value: 0.22}'));
    const { code, review } = await diff(dir);
    expect(code).toBe(0);
    expect(review.diff.kpis).toEqual([{ id: 'reach', change: 'changed', file: 'kpis/reach/reach.yaml', fields: [{ path: 'target.overrides[brand cardiora].value', before: 0.44, after: 0.22 }], definition_changed: false, unit: 'percent' }]);
    // The numbers do not move (same definition); only statuses can. Reach has bands green ≥ 1.0, amber ≥ 0.85 of target:
    // cardiora 41.9%: 41.9/44 = 0.95 amber → 41.9/22 = 1.90 green. Every other slice keeps its own target.
    const reach = review.impact!.kpis.find((k) => k.id === 'reach')!;
    for (const s of reach.slices) expect(s.before!.display).toBe(s.after!.display);
    expect(flips(review, 'reach')).toEqual(['cardiora: amber → green']);
    // 50 slices: the total, 3 brands, 6 countries, 4 segments, 6 territories, and the brand scorecard's
    // "what moved it" sets: 3 brands × 6 countries + 3 brands × 4 segments = 30.
    expect(reach).toMatchObject({ flips: 1, unchanged: 49 });
    expect(review.impact!.recipients.map((r) => r.email)).toEqual(expect.arrayContaining(['clara.weiss@demo-pharma.example']));
  });

  it('a filter change: the field path into the filter, a definition change, values before → after', async () => {
    const dir = twoCommits((edit) => edit('kpis/email/email_open_rate.yaml', '    where: {channel: email, event: opened, bot: {ne: true}}', '    where: {channel: email, event: opened}'));
    const { review } = await diff(dir);
    expect(review.diff.kpis).toEqual([{
      id: 'email_open_rate', change: 'changed', file: 'kpis/email/email_open_rate.yaml', definition_changed: true, unit: 'percent',
      fields: [{ path: 'measure.numerator.where.bot', before: { ne: true } }],
    }]);
    const total = review.impact!.kpis.find((k) => k.id === 'email_open_rate')!.slices.find((s) => Object.keys(s.dims).length === 0)!;
    // Counting mail scanners' opens too only adds touches to the numerator: 16.7% → 20.0% in this sample.
    expect([total.before!.display, total.after!.display]).toEqual(['16.7%', '20.0%']);
    expect(Number.parseFloat(total.after!.display)).toBeGreaterThan(Number.parseFloat(total.before!.display));
  });

  it('a renamed KPI is a rename, not a removal and an addition; a scorecard still naming the old id is an error', async () => {
    const dir = twoCommits((edit, d) => {
      const text = readFileSync(join(d, 'kpis/email/email_ctr.yaml'), 'utf8').replace('id: email_ctr', 'id: email_click_rate');
      rmSync(join(d, 'kpis/email/email_ctr.yaml'));
      writeFileSync(join(d, 'kpis/email/email_click_rate.yaml'), text);
    });
    const { code, review, stderr } = await diff(dir, false);
    // The head does not validate: brand_monthly selects {tag: email} only, so it is fine; nothing names email_ctr by id.
    expect(code, stderr).toBe(0);
    expect(review.diff.kpis).toEqual([{ id: 'email_click_rate', change: 'renamed', from: 'email_ctr', file: 'kpis/email/email_click_rate.yaml', fields: [], definition_changed: false, unit: 'percent' }]);
    expect(review.diff.errors).toEqual([]);
  });

  it('a deleted KPI that a scorecard still uses is an error in the review, exit 1', async () => {
    const dir = twoCommits((_edit, d) => rmSync(join(d, 'kpis/engagement/cei.yaml')));
    const { code, review, stderr } = await diff(dir);
    expect(code).toBe(1);
    expect(stderr).toContain('scorecards/brand_monthly.yaml');
    expect(review.diff.kpis).toEqual([{ id: 'cei', change: 'removed', file: 'kpis/engagement/cei.yaml', fields: [], definition_changed: false, unit: 'score' }]);
    expect(review.diff.errors.filter((e) => e.code === 'review/removed-kpi-in-use')).toEqual([
      { code: 'review/removed-kpi-in-use', file: 'scorecards/brand_monthly.yaml', message: 'cei is removed, but scorecard brand_monthly still lists it' },
      { code: 'review/removed-kpi-in-use', file: 'scorecards/executive_quarterly.yaml', message: 'cei is removed, but scorecard executive_quarterly still lists it' },
      { code: 'review/removed-kpi-in-use', file: 'scorecards/rep_weekly.yaml', message: 'cei is removed, but scorecard rep_weekly still lists it' },
    ]);
    expect(review.diff.errors.some((e) => e.code === 'scorecard/unknown-kpi' && /^scorecards\/brand_monthly\.yaml:\d+:\d+: /.test(e.message))).toBe(true);
    expect(review.impact).toBeUndefined();
  });

  it('a new channel: added, no KPI file changed, every definition hash moves', async () => {
    const dir = twoCommits((_edit, d) => writeFileSync(join(d, 'channels/podcast.yaml'), readFileSync(join(d, 'channels/webinar.yaml'), 'utf8').replace('id: webinar', 'id: podcast').replace(/name: .*/, 'name: Podcast')));
    const { code, review } = await diff(dir);
    expect(code).toBe(0);
    expect(review.diff.channels).toEqual([{ id: 'podcast', change: 'added', file: 'channels/podcast.yaml', fields: [] }]);
    expect(review.diff.kpis).toEqual([]);
    // A channel with no events moves no value in this sample (the engagement index, whose breadth
    // divides by the channels defined, has no value here: 4 months of data do not cover its 6-month window).
    expect(review.impact).toMatchObject({ kpis: [], recipients: [] });
  });

  it('nothing changed: says so plainly', async () => {
    const dir = twoCommits(() => {});
    const r = await kpiops(['diff', '-p', dir, '--base', 'HEAD~1', '--head', 'HEAD', '-q']);
    expect(r.stdout).toContain('No KPI, scorecard, channel or project setting changed');
    expect(r.stdout.startsWith('<!-- kpiops-review -->\n')).toBe(true);
  });
});
