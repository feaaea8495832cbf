import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
const open = kpi('email_open_rate', { dimensions: ['country', 'brand'] });

/** One side: the total and two countries in 2026-10, each as value and n (its denominator). */
const side = (total: [number, number], de: [number, number], fr: [number, number]) => ({
  model: model(open),
  results: resultsDoc([result(open, [
    slice({}, [total[0]], { n: total[1] }),
    slice({ country: 'DE' }, [de[0]], { n: de[1] }),
    slice({ country: 'FR' }, [fr[0]], { n: fr[1] }),
  ])]),
});

describe('what moved a total between the base and the head definition, in the review', () => {
  // Base: DE 20/100, FR 30/100 → 50/200 = 25%. Head: DE 45/150, FR 15/50 → 60/200 = 30%.
  // Weights w0 = ½, ½ → w1 = ¾, ¼; rates r0 = 0.2, 0.3 → r1 = 0.3, 0.3.
  //   DE: rate ½·(0.3 − 0.2) = +0.05, mix (¾ − ½)·0.2 = +0.05, interaction ¼·0.1 = +0.025
  //   FR: rate ½·0 = 0, mix (¼ − ½)·0.3 = −0.075, interaction 0
  //   rates +0.05 (DE +5.0 pp, FR 0.0 pp); mix + interaction 0.05 + 0.025 − 0.075 = 0; sum +0.05 = 30% − 25%.
  const impact = kpiImpacts(noDiff, side([0.25, 200], [0.2, 100], [0.3, 100]), side([0.3, 200], [0.3, 150], [0.3, 50]));

  it('splits the total\'s change by country into each country\'s rate and the mix, adding up to the change', () => {
    const moved = impact[0]?.moved;
    expect(moved).toHaveLength(1);
    expect(moved![0]).toMatchObject({ dimension: 'country', additive: true });
    expect(moved![0]!.text).toMatch(/^By country: email open rate rose in 1 of 2 countries; DE \+5\.0 pp, FR [±+]?0\.0 pp \(rate\); mix ±0\.0 pp\.$/);
  });

  it('says nothing when the total does not move, and leaves out a dimension the slices of which are not in the results', () => {
    expect(kpiImpacts(noDiff, side([0.25, 200], [0.2, 100], [0.3, 100]), side([0.25, 200], [0.2, 100], [0.3, 100]))).toEqual([]);
    // brand is a dimension of both definitions, but the results hold no brand slice: no split by brand.
    expect(impact[0]?.moved?.map((m) => m.dimension)).toEqual(['country']);
  });

  it('shows the split under the totals in the pull-request comment', () => {
    const review: Review = { version: 'review/v1', base: { ref: 'main' }, head: { ref: 'pr' }, diff: noDiff, impact: { scorecards: [], kpis: impact, recipients: [] } };
    const markdown = reviewMarkdown({ ...review, diff: { ...noDiff, kpis: [{ id: 'email_open_rate', change: 'changed', file: 'kpis/email/email_open_rate.yaml', fields: [{ path: 'measure.numerator.where', before: 'a', after: 'b' }], definition_changed: true }] } });
    expect(markdown).toContain('#### What moved the totals');
    expect(markdown).toContain('- `email_open_rate` 2026-10, 25.0% → 30.0%:');
    expect(markdown).toMatch(/\n {2}- By country: email open rate rose in 1 of 2 countries; DE \+5\.0 pp/);
  });

  it('travels in the review artifact the posting job reads back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpiops-what-moved-'));
    try {
      writeFileSync(join(dir, 'pull-request.json'), JSON.stringify({ pr: 7, head_sha: 'b'.repeat(40) }));
      const artifact = { scorecards: [], kpis: impact, recipients: [] };
      writeFileSync(join(dir, 'review.json'), JSON.stringify({ version: 'review/v1', impact: artifact }));
      expect(readReviewArtifact(dir)).toEqual({ value: { pr: 7, headSha: 'b'.repeat(40), impact: artifact } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
