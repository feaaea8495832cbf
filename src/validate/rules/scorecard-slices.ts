import type { Rule } from '../rule.js';
import { suggest } from '../suggest.js';
import { selectedKpis } from './scorecard-kpis.js';

/**
 * A scorecard slices only by dimensions all its KPIs have (otherwise a recipient would see
 * totals outside their slice), and each recipient's filter uses only the slice's dimensions.
 */
export const scorecardSlices: Rule = {
  name: 'scorecard-slices',
  check(ctx) {
    for (const { file, spec } of ctx.files.scorecards) {
      const slice = spec.slice ?? [];
      const kpis = selectedKpis(spec, ctx.files.kpis);
      slice.forEach((dim, i) => {
        const lacking = kpis.filter((k) => !(k.dimensions ?? []).includes(dim)).map((k) => k.id);
        if (lacking.length > 0) ctx.report('scorecard/unknown-dimension', { name: dim, kpis: lacking }, { file, path: ['slice', i] });
      });
      spec.audience.forEach((recipient, i) => {
        for (const key of Object.keys(recipient.filter ?? {})) {
          if (!slice.includes(key)) {
            ctx.report('scorecard/filter-outside-slice', { name: key, slice, suggestion: suggest(key, slice) }, { file, path: ['audience', i, 'filter', key], target: 'key' });
          }
        }
      });
    }
  },
};
