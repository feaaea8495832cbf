import { dimensionValues, resolveColumn, visibleColumns } from '../../model/catalog.js';
import type { KpiSpec } from '../../spec/kpi.js';
import type { Rule } from '../rule.js';
import { suggest } from '../suggest.js';

/** The source a KPI's slices come from: its measure's source (derived and benchmark KPIs slice like the KPIs they use). */
export function sliceSource(kpi: KpiSpec): string | undefined {
  const m = kpi.measure as { source?: unknown; numerator?: { source: string }; of?: { source: string } };
  if (kpi.measure.kind === 'ratio') return m.numerator?.source;
  if (kpi.measure.kind === 'growth') return m.of?.source;
  return typeof m.source === 'string' ? m.source : undefined;
}

/** Dimensions resolve to columns of the measure's source or the HCP table; target overrides use only declared dimensions. */
export const kpiDimensions: Rule = {
  name: 'kpi-dimensions',
  check(ctx) {
    const channels = [...ctx.files.channels.map((c) => c.spec.id), ...ctx.files.unchecked.channel];
    for (const { file, spec } of ctx.files.kpis) {
      const source = sliceSource(spec);
      const dims = spec.dimensions ?? [];
      if (source && ctx.project.sources[source] && spec.measure.kind !== 'derived') {
        dims.forEach((dim, i) => {
          if (!resolveColumn(ctx.project, source, dim)) {
            ctx.report('kpi/unknown-dimension', { name: dim, source, suggestion: suggest(dim, visibleColumns(ctx.project, source)) }, { file, path: ['dimensions', i] });
          }
        });
      }
      (spec.target?.overrides ?? []).forEach((override, i) => {
        for (const [key, value] of Object.entries(override.where)) {
          const at = ['target', 'overrides', i, 'where', key];
          if (!dims.includes(key)) {
            ctx.report('kpi/override-dimension', { name: key, suggestion: suggest(key, dims) }, { file, path: at, target: 'key' });
            continue;
          }
          const allowed = dimensionValues(ctx.project, key, channels);
          if (allowed && !allowed.includes(String(value))) ctx.report('kpi/override-value', { name: String(value), dimension: key, suggestion: suggest(String(value), allowed) }, { file, path: at });
        }
      });
    }
  },
};
