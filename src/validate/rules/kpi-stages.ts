import { stageIds } from '../../model/catalog.js';
import type { Rule } from '../rule.js';
import { suggest } from '../../text/suggest.js';

/** A KPI's stages are journey stages of the project. */
export const kpiStages: Rule = {
  name: 'kpi-stages',
  check(ctx) {
    const stages = stageIds(ctx.project);
    for (const { file, spec } of ctx.files.kpis) {
      spec.stages.forEach((stage, i) => {
        if (!stages.includes(stage)) ctx.report('kpi/unknown-stage', { name: stage, suggestion: suggest(stage, stages) }, { file, path: ['stages', i] });
      });
    }
  },
};
