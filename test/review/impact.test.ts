import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '../../src/review/report.js';
import { kpiops } from '../support/cli.js';
import { demoCopy, twoCommits, type Edit } from '../support/revisions.js';
import { removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';

/** The demo project copied to a fresh folder; with `change`, a git repository whose HEAD~1 is the demo and HEAD the change. */
const project = (change?: (edit: Edit, dir: string) => void): string => (change ? twoCommits(change, 'kpiops-impact-') : demoCopy('kpiops-impact-'));

interface Entry { scorecard: string; period: string; email: string; status: string; files?: { text: string } }

/**
 * The ground truth, independent of `kpiops diff`: `kpiops run` on a project, every email's text
 * part by scorecard and recipient (skipped: absent), the footer's configuration hash blanked.
 */
async function sent(dir: string, snapshot: string): Promise<{ texts: Map<string, string>; periods: Map<string, string> }> {
  const out = tempDir('kpiops-impact-out-');
  const r = await kpiops(['run', '-p', dir, '--snapshot', snapshot, '--out', out, '-q']);
  if (r.code !== 0) throw new Error(`kpiops exited ${r.code}: ${r.stderr}`);
  const { entries } = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { entries: Entry[] };
  const texts = new Map<string, string>();
  const periods = new Map<string, string>();
  for (const e of entries) {
    periods.set(e.scorecard, e.period);
    if (e.status === 'rendered') texts.set(`${e.scorecard} ${e.email}`, readFileSync(e.files!.text, 'utf8').replace(/configuration [0-9a-f]{12}/, 'configuration ·'));
  }
  return { texts, periods };
}

/** Recipients (scorecard and address) whose email text differs between two runs, or who get an email in one only. */
function differing(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

async function review(dir: string, snapshot: string): Promise<Review> {
  const r = await kpiops(['diff', '-p', dir, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json', '-q', '--snapshot', snapshot]);
  if (r.code !== 0) throw new Error(`kpiops exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Review;
}

/** Runs jobs two at a time: each evaluation keeps DuckDB's threads busy, so more at once would only queue. */
async function twoAtATime<T>(jobs: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

const CHANGES: Record<string, (edit: Edit, dir: string) => void> = {
  // Neurexa's sample request rate in this sample is 9.7%: 9.7 ÷ 10 = 0.97 near target → 9.7 ÷ 12 = 0.81 off target.
  'a target change': (edit) => edit('kpis/engagement/sample_request_rate.yaml', '{where: {brand: neurexa}, value: 0.1}', '{where: {brand: neurexa}, value: 0.12}'),
  // Cardiora's reach is 41.9% against 44%: 0.95 is near target under green 1.0 and on target under green 0.9.
  'a threshold change': (edit) => edit('kpis/reach/reach.yaml', 'thresholds: {green: 1.0, amber: 0.85}', 'thresholds: {green: 0.9, amber: 0.85}'),
  'a filter change': (edit) => edit('kpis/email/email_open_rate.yaml', '    where: {channel: email, event: opened, bot: {ne: true}}', '    where: {channel: email, event: opened}'),
  'a rename (new id, scorecards updated)': (edit, dir) => {
    const text = readFileSync(join(dir, 'kpis/reach/multichannel_rate.yaml'), 'utf8').replace('id: multichannel_rate', 'id: multichannel_reach');
    rmSync(join(dir, 'kpis/reach/multichannel_rate.yaml'));
    writeFileSync(join(dir, 'kpis/reach/multichannel_reach.yaml'), text);
    for (const sc of ['brand_monthly', 'executive_quarterly', 'rep_weekly']) edit(`scorecards/${sc}.yaml`, '  - multichannel_rate\n', '  - multichannel_reach\n');
  },
  'a KPI removed from a scorecard': (edit) => edit('scorecards/rep_weekly.yaml', '  - frequency\n', ''),
  'an audience change': (edit) => edit('scorecards/brand_monthly.yaml', 'filter: {brand: neurexa}', 'filter: {brand: pulmivo}'),
};

let snapshot: string;
let base: Awaited<ReturnType<typeof sent>>;
const outcomes = new Map<string, { review: Review; truth: string[]; periods: Map<string, string> }>();

beforeAll(async () => {
  snapshot = await smallCsvSample();
  const dirs = Object.fromEntries(Object.entries(CHANGES).map(([name, change]) => [name, project(change)]));
  const [first, ...rest] = await twoAtATime<unknown>([
    () => sent(project(), snapshot),
    ...Object.values(dirs).flatMap((dir) => [() => sent(dir, snapshot), () => review(dir, snapshot)]),
  ]);
  base = first as typeof base;
  Object.keys(dirs).forEach((name, i) => {
    const head = rest[2 * i] as typeof base;
    outcomes.set(name, { review: rest[2 * i + 1] as Review, truth: differing(base.texts, head.texts), periods: head.periods });
  });
}, 120_000);
afterAll(removeTempDirs);

const recipientsOf = (r: Review) => r.impact!.recipients.map((x) => `${x.scorecard} ${x.email.toLowerCase()}`).sort();

describe('the review\'s recipients are the recipients whose rendered scorecard differs', () => {
  for (const name of Object.keys(CHANGES)) {
    it(`${name}: the comment names exactly the recipients whose email text differs, and counts them per scorecard`, () => {
      const { review, truth } = outcomes.get(name)!;
      expect(recipientsOf(review)).toEqual(truth.map((k) => k.toLowerCase()));
      for (const sc of review.impact!.scorecards) expect(sc.recipients_affected, sc.scorecard).toBe(truth.filter((k) => k.startsWith(`${sc.scorecard} `)).length);
    });
  }

  it('the target change flips a status for some recipient, not only the target line', () => {
    const { review } = outcomes.get('a target change')!;
    const flips = review.impact!.kpis.find((k) => k.id === 'sample_request_rate')!.slices.filter((s) => s.before && s.after && s.before.status !== s.after.status);
    expect(flips.length).toBeGreaterThan(0);
  });

  it('every scorecard is compared at its own grain, for the period kpiops run sends it for', () => {
    const { review, periods } = outcomes.get('a threshold change')!;
    // As of 1 Nov 2026: October is the last complete month, W43 (19–25 Oct) the last complete ISO week, Q3 the last quarter.
    expect(Object.fromEntries(review.impact!.scorecards.map((s) => [s.scorecard, s.period]))).toEqual({ brand_monthly: '2026-10', rep_weekly: '2026-W43', executive_quarterly: '2026-Q3' });
    for (const s of review.impact!.scorecards) expect(s.period).toBe(periods.get(s.scorecard));
  });

  it('the changes are not empty: each change reaches some recipient, except the rename, which only moves the footer hash', () => {
    const counts = Object.fromEntries([...outcomes].map(([name, o]) => [name, o.truth.length]));
    expect(counts['a rename (new id, scorecards updated)']).toBe(0);
    for (const [name, n] of Object.entries(counts)) if (!name.startsWith('a rename')) expect(n, name).toBeGreaterThan(0);
    // Together the changes reach every demo scorecard: the weekly and quarterly ones are compared, not only the monthly.
    const reached = new Set([...outcomes.values()].flatMap((o) => o.truth.map((k) => k.split(' ')[0])));
    expect(reached).toEqual(new Set(['brand_monthly', 'rep_weekly', 'executive_quarterly']));
  });
});
