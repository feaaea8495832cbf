import { dimensionValues } from '../../model/catalog.js';
import { suggest } from '../../text/suggest.js';
import type { Rule } from '../rule.js';
import { watchedKpis } from './alert-watched.js';

/**
 * An alert watches slices its KPIs have: each `by` dimension, and (without `by`) each
 * recipient's filter dimension, is a dimension of every KPI watched. A recipient's filter
 * stays within `by` and names values the data can have: otherwise they would never be told.
 */
export const alertSlices: Rule = {
  name: 'alert-slices',
  check(ctx) {
    const channels = [...ctx.files.channels.map((c) => c.spec.id), ...ctx.files.unchecked.channel];
    for (const { file, spec } of ctx.files.alerts) {
      const kpis = watchedKpis(spec, ctx.files);
      const dims = [...new Set(kpis.flatMap((k) => k.dimensions ?? []))];
      const lacking = (dim: string) => kpis.filter((k) => !(k.dimensions ?? []).includes(dim)).map((k) => k.id);
      let byKnown = true;
      spec.by?.forEach((dim, i) => {
        const missing = lacking(dim);
        if (missing.length > 0) ctx.report('alert/unknown-dimension', { name: dim, kpis: missing, suggestion: suggest(dim, dims) }, { file, path: ['by', i] });
        byKnown &&= missing.length === 0;
      });
      // A misspelt `by` dimension is one mistake: the filters that name the right one are not also wrong.
      if (!byKnown) continue;
      spec.audience.forEach((recipient, i) => {
        for (const [key, value] of Object.entries(recipient.filter ?? {})) {
          const at = { file, path: ['audience', i, 'filter', key] };
          if (spec.by && !spec.by.includes(key)) {
            ctx.report('alert/filter-outside-by', { name: key, by: spec.by, suggestion: suggest(key, spec.by) }, { ...at, target: 'key' });
            continue;
          }
          const missing = spec.by ? [] : lacking(key);
          if (missing.length > 0) {
            ctx.report('alert/unknown-dimension', { name: key, kpis: missing, suggestion: suggest(key, dims) }, { ...at, target: 'key' });
            continue;
          }
          const allowed = dimensionValues(ctx.project, key, channels);
          if (allowed && !allowed.includes(String(value))) ctx.report('alert/unknown-value', { name: String(value), dimension: key, suggestion: suggest(String(value), allowed) }, at);
        }
      });
    }
  },
};
