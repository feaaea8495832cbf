import { stageIds } from '../../model/catalog.js';
import { suggest } from '../../text/suggest.js';
import type { Rule } from '../rule.js';
import { unknownKpiParams } from '../unknown-kpi.js';

/** Every KPI id an alert names exists, every tag is some KPI's, and every stage is the journey's and has a KPI. */
export const alertKpis: Rule = {
  name: 'alert-kpis',
  check(ctx) {
    const ids = [...ctx.files.kpis.map((k) => k.spec.id), ...ctx.files.unchecked.kpi];
    const tags = [...new Set(ctx.files.kpis.flatMap((k) => k.spec.tags ?? []))];
    const stages = stageIds(ctx.project);
    // A KPI whose file failed its schema may hold the tag or stage: the schema error is the one to fix.
    const complete = ctx.files.unchecked.kpi.size === 0;
    for (const { file, spec } of ctx.files.alerts) {
      spec.kpis.forEach((selector, i) => {
        if (typeof selector === 'string') {
          if (!ids.includes(selector)) ctx.report('alert/unknown-kpi', unknownKpiParams(ctx.files, selector, ids), { file, path: ['kpis', i] });
        } else if ('tag' in selector) {
          if (complete && !tags.includes(selector.tag)) ctx.report('alert/unknown-tag', { name: selector.tag, suggestion: suggest(selector.tag, tags) }, { file, path: ['kpis', i, 'tag'] });
        } else if (!stages.includes(selector.stage)) {
          ctx.report('alert/unknown-stage', { name: selector.stage, suggestion: suggest(selector.stage, stages) }, { file, path: ['kpis', i, 'stage'] });
        } else if (complete && !ctx.files.kpis.some((k) => k.spec.stages.includes(selector.stage))) {
          ctx.report('alert/empty-selector', { selector: `stage "${selector.stage}"` }, { file, path: ['kpis', i] });
        }
      });
    }
  },
};
