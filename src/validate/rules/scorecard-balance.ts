import { stageIds } from '../../model/catalog.js';
import type { Rule } from '../rule.js';
import { suggest } from '../../text/suggest.js';
import { selectedKpis } from './scorecard-kpis.js';

/** A scorecard shows early signals and outcomes together, and every stage it claims has a KPI. */
export const scorecardBalance: Rule = {
  name: 'scorecard-balance',
  check(ctx) {
    const stages = stageIds(ctx.project);
    for (const { file, spec } of ctx.files.scorecards) {
      const kpis = selectedKpis(spec, ctx.files.kpis);
      if (kpis.length > 0 && !kpis.some((k) => k.indicator === 'leading')) ctx.report('scorecard/no-leading', {}, { file, path: ['kpis'], target: 'key' });
      if (kpis.length > 0 && !kpis.some((k) => k.indicator === 'lagging')) ctx.report('scorecard/no-lagging', {}, { file, path: ['kpis'], target: 'key' });
      (spec.stages ?? []).forEach((stage, i) => {
        if (!stages.includes(stage)) ctx.report('scorecard/unknown-stage', { name: stage, suggestion: suggest(stage, stages) }, { file, path: ['stages', i] });
        else if (!kpis.some((k) => k.stages.includes(stage))) ctx.report('scorecard/uncovered-stage', { stage }, { file, path: ['stages', i] });
      });
      spec.kpis.forEach((selector, i) => {
        if (typeof selector !== 'object' || !('stage' in selector)) return;
        if (!stages.includes(selector.stage)) {
          ctx.report('scorecard/unknown-stage', { name: selector.stage, suggestion: suggest(selector.stage, stages) }, { file, path: ['kpis', i, 'stage'] });
        } else if (ctx.files.unchecked.kpi.size === 0 && !ctx.files.kpis.some((k) => k.spec.stages.includes(selector.stage))) {
          ctx.report('scorecard/empty-selector', { selector: `stage "${selector.stage}"` }, { file, path: ['kpis', i] });
        }
      });
    }
  },
};
