import type { Loaded } from '../files.js';
import { selectKpis } from '../../scorecard/select.js';
import type { KpiSpec } from '../../spec/kpi.js';
import type { ScorecardSpec } from '../../spec/scorecard.js';
import type { Rule } from '../rule.js';
import { unknownKpiParams } from '../unknown-kpi.js';

/** The KPIs a scorecard selects, as the scorecard will show them. */
export const selectedKpis = (scorecard: ScorecardSpec, kpis: ReadonlyArray<Loaded<KpiSpec>>): KpiSpec[] => selectKpis(scorecard, kpis.map((k) => k.spec));

/** Every KPI id a scorecard names exists, and every tag or stage selector matches at least one KPI. */
export const scorecardKpis: Rule = {
  name: 'scorecard-kpis',
  withoutProject: true,
  check(ctx) {
    const ids = [...ctx.files.kpis.map((k) => k.spec.id), ...ctx.files.unchecked.kpi];
    for (const { file, spec } of ctx.files.scorecards) {
      spec.kpis.forEach((selector, i) => {
        if (typeof selector === 'string' || 'kpi' in selector) {
          const id = typeof selector === 'string' ? selector : selector.kpi;
          if (!ids.includes(id)) ctx.report('scorecard/unknown-kpi', unknownKpiParams(ctx.files, id, ids), { file, path: typeof selector === 'string' ? ['kpis', i] : ['kpis', i, 'kpi'] });
          return;
        }
        // Stage selectors are checked with the journey (scorecard-balance); a tag may belong to a KPI whose file has errors.
        if ('stage' in selector || ctx.files.unchecked.kpi.size > 0) return;
        if (selectedKpis({ ...spec, kpis: [selector] }, ctx.files.kpis).length === 0) {
          ctx.report('scorecard/empty-selector', { selector: `tag "${selector.tag}"` }, { file, path: ['kpis', i] });
        }
      });
    }
  },
};
