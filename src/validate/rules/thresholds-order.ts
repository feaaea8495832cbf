import type { Rule } from '../rule.js';

/**
 * Green and amber bands are in the order the KPI's direction needs. Project defaults are
 * written for higher-is-better KPIs (lower-is-better KPIs use them mirrored).
 */
export const thresholdsOrder: Rule = {
  name: 'thresholds-order',
  check(ctx) {
    const defaults = ctx.project.thresholds;
    if (defaults && defaults.green < defaults.amber && ctx.files.project) {
      ctx.report('kpi/thresholds-order', { ...defaults, direction: 'higher' }, { file: ctx.files.project.file, path: ['thresholds', 'green'] });
    }
    for (const { file, spec } of ctx.files.kpis) {
      const t = spec.thresholds;
      if (!t) continue;
      const ordered = spec.direction === 'higher' ? t.green >= t.amber : t.green <= t.amber;
      if (!ordered) ctx.report('kpi/thresholds-order', { green: t.green, amber: t.amber, direction: spec.direction }, { file, path: ['thresholds', 'green'] });
    }
  },
};
