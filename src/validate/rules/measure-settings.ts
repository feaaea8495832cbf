import { scoreScale } from '../../model/catalog.js';
import type { Rule } from '../rule.js';

/**
 * Kind-specific settings agree with each other and with the data: `top` only and always
 * with top-box scores, NPS on a 0–10 scale, index weights adding up to 1, and a cap to
 * exceed for cap KPIs.
 */
export const measureSettings: Rule = {
  name: 'measure-settings',
  check(ctx) {
    const cappedPush = ctx.files.channels.some((c) => c.spec.direction === 'push' && c.spec.cap);
    for (const { file, spec } of ctx.files.kpis) {
      const m = spec.measure;
      if (m.kind === 'score') {
        if (m.method === 'top_box' && m.top === undefined) ctx.report('kpi/top-box-without-top', {}, { file, path: ['measure', 'method'] });
        if (m.method !== 'top_box' && m.top !== undefined) ctx.report('kpi/top-without-top-box', {}, { file, path: ['measure', 'top'], target: 'key' });
        const scale = scoreScale(ctx.project, m.source, m.column, m.where);
        if (m.method === 'top_box' && !scale && ctx.project.sources[m.source]?.columns[m.column]) {
          ctx.report('kpi/top-box-without-scale', { source: m.source, column: m.column }, { file, path: ['measure', 'method'] });
        }
        if (m.method === 'nps' && scale && (scale.min !== 0 || scale.max !== 10)) {
          ctx.report('kpi/nps-scale', { source: m.source, column: m.column, min: scale.min, max: scale.max }, { file, path: ['measure', 'method'] });
        }
      }
      if (m.kind === 'index' && m.weights) {
        const sum = m.weights.breadth + m.weights.depth + m.weights.consistency;
        if (Math.abs(sum - 1) > 1e-3) ctx.report('kpi/index-weights', { sum: Math.round(sum * 1e4) / 1e4 }, { file, path: ['measure', 'weights'], target: 'key' });
      }
      if (m.kind === 'cap' && m.max === undefined && !cappedPush) ctx.report('kpi/no-caps', {}, { file, path: ['measure', 'kind'] });
    }
  },
};
