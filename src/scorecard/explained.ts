import type { KpiModel } from '../model/kpi.js';
import type { ProjectModel } from '../model/project-model.js';
import type { Results } from '../spec/results.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import { splitWithin } from './moved.js';
import { selectKpis } from './select.js';
import { recipientSlice, sameDims } from './slice.js';
import type { Dims } from './target.js';

export type Explained = NonNullable<Results['explained']>[number];

/**
 * The results' `explained` section: for each scorecard that opts in to "what moved it" and
 * runs at the results' grain, each recipient slice (once, in audience order) and each KPI
 * it shows there, the move from the period before split over each of its `explain.by`
 * dimensions, with every slice's contribution (the emails fold small and minor slices; the
 * results keep them, as they keep every slice's value). The split is the one the email's
 * "what moved it" reads, so the two never disagree. KPIs whose value is not one ratio of
 * its support, and moves with no value on either side, are left out.
 */
export function explainedOf(results: Results, kpis: ReadonlyMap<string, KpiModel>, project: ProjectModel, scorecards: readonly ScorecardSpec[]): Explained[] {
  const out: Explained[] = [];
  const byId = new Map(results.kpis.map((k) => [k.id, k]));
  for (const scorecard of scorecards) {
    const explain = scorecard.explain;
    if (!explain || scorecard.grain !== results.period.grain) continue;
    const slices: Dims[] = [];
    for (const r of scorecard.audience) {
      const dims = recipientSlice(scorecard, (r.filter ?? {}) as Dims);
      if (!slices.some((s) => sameDims(s, dims))) slices.push(dims);
    }
    for (const dims of slices) {
      for (const kpi of selectKpis(scorecard, kpis)) {
        const result = byId.get(kpi.id);
        if (!result || !Object.keys(dims).every((d) => kpi.dimensions.includes(d))) continue;
        const slice = result.slices.find((s) => sameDims(s.dims as Dims, dims));
        const [from, to] = [slice?.trend.at(-2)?.period, slice?.trend.at(-1)?.period];
        if (!from || to !== result.period.label) continue;
        const splits = explain.by.flatMap((dimension) => splitWithin({ kpi, project, result, dims, from, to, dimension }) ?? []);
        const first = splits[0];
        if (!first) continue;
        out.push({
          scorecard: scorecard.id, slice: dims, kpi: kpi.id, period: to, compared_to: from, value: first.value, previous: first.previous, change: first.change,
          by: splits.map((s) => ({ dimension: s.dimension, additive: s.additive, residual: s.residual, ...(s.reason ? { reason: s.reason } : {}), contributions: s.contributions })),
        });
      }
    }
  }
  return out;
}
