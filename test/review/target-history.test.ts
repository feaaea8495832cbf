import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReviewArtifact } from '../../src/deliver/github/review-artifact.js';
import { normalize } from '../../src/model/normalize.js';
import type { SemanticDiff } from '../../src/review/diff.js';
import { kpiImpacts } from '../../src/review/impact.js';
import { reviewMarkdown, type Review } from '../../src/review/report.js';
import type { KpiSpec } from '../../src/spec/kpi.js';
import { demoChannels, demoKpis, demoProject } from '../support/engine-fixture.js';
import { kpi, result, resultsDoc, slice } from '../support/results.js';

const model = (k: KpiSpec) => normalize({ project: demoProject, channels: demoChannels, kpis: [...demoKpis.filter((x) => x.id !== k.id), k] });
const noDiff: SemanticDiff = { kpis: [], scorecards: [], channels: [], project: [], errors: [] };

// Twelve months before the reported 2026-10 (2025-10 … 2026-09), then 2026-10 itself.
const past = [0.2, 0.21, 0.22, 0.23, 0.24, 0.25, 0.26, 0.19, 0.18, 0.22, 0.23, 0.21];
//   met 22%: 0.22, 0.23, 0.24, 0.25, 0.26, 0.22, 0.23 → 7 of 12
//   met 25%: 0.25, 0.26                                → 2 of 12
const values = [...past, 0.17];

function impactOf(before: KpiSpec, after: KpiSpec, trend: Array<number | null> = values) {
  const side = (k: KpiSpec) => ({ model: model(k), results: resultsDoc([result(k, [slice({}, trend)])]) });
  return kpiImpacts(noDiff, side(before), side(after));
}

describe('a changed target in the review, against the slice\'s own history', () => {
  const base = kpi('email_open_rate', { target: { value: 0.22 } });
  const head = kpi('email_open_rate', { target: { value: 0.25 } });

  it('counts how many of the periods before the reported one met the old target and the new one', () => {
    const [k] = impactOf(base, head);
    // 2026-10's value and status do not change: 17% is red against both (17/22 = 0.77 and 17/25 = 0.68, under amber's 0.9).
    expect(k?.slices).toEqual([]);
    expect(k?.targets).toEqual([{ dims: {}, before: { display: '22.0%', met: 7, of: 12 }, after: { display: '25.0%', met: 2, of: 12 }, from: '2025-10', to: '2026-09' }]);
  });

  it('counts a lower-is-better KPI as met at or under its target', () => {
    const lower = (t: number) => kpi('email_open_rate', { direction: 'lower', target: { value: t } });
    // At or under 21%: 0.2, 0.21, 0.19, 0.18, 0.21 → 5 of 12; at or under 19%: 0.19, 0.18 → 2 of 12.
    const [k] = impactOf(lower(0.21), lower(0.19));
    expect(k?.targets?.[0]).toMatchObject({ before: { met: 5, of: 12 }, after: { met: 2, of: 12 } });
  });

  it('leaves out periods without a value, and says nothing when the target stays or is relative to last year', () => {
    const gaps = [null, null, ...past.slice(2), 0.17];
    // 2025-10 and 2025-11 have no value: met 22% in 7 of the 10 left, 25% in 2 of 10.
    expect(impactOf(base, head, gaps)[0]?.targets?.[0]).toMatchObject({ before: { met: 7, of: 10 }, after: { met: 2, of: 10 }, from: '2025-12' });
    expect(impactOf(base, base)).toEqual([]);
    const relative = kpi('email_open_rate', { target: { relative: { to: 'last_year', change: 0.1 } } } as Partial<KpiSpec>);
    expect(impactOf(relative, relative)).toEqual([]);
  });

  it('puts the counts in the pull-request comment, beside the targets', () => {
    const review: Review = { version: 'review/v1', base: { ref: 'main' }, head: { ref: 'pr' }, diff: { ...noDiff, kpis: [{ id: 'email_open_rate', change: 'changed', file: 'kpis/email/email_open_rate.yaml', fields: [{ path: 'target.value', before: 0.22, after: 0.25 }], definition_changed: false }] }, impact: { scorecards: [], kpis: impactOf(base, head), recipients: [] } };
    const markdown = reviewMarkdown(review);
    expect(markdown).toContain('#### New targets against their history');
    expect(markdown).toContain('| `email_open_rate` | total | 22.0% → 25.0% | 7 of 12 → 2 of 12 | 2025-10…2026-09 |');
  });

  it('travels in the review artifact the posting job reads back, shaped and bounded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpiops-target-history-'));
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'pull-request.json'), JSON.stringify({ pr: 7, head_sha: 'a'.repeat(40) }));
      const impact = { scorecards: [], kpis: impactOf(base, head), recipients: [] };
      writeFileSync(join(dir, 'review.json'), JSON.stringify({ version: 'review/v1', impact }));
      expect(readReviewArtifact(dir)).toEqual({ value: { pr: 7, headSha: 'a'.repeat(40), impact } });
      // A count that is not a whole number is not taken from a pull request's artifact.
      writeFileSync(join(dir, 'review.json'), JSON.stringify({ version: 'review/v1', impact: { ...impact, kpis: [{ ...impact.kpis[0], targets: [{ ...impact.kpis[0]!.targets![0], after: { display: '25%', met: 1.5, of: 12 } }] }] } }));
      expect(readReviewArtifact(dir)).toHaveProperty('problem');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
