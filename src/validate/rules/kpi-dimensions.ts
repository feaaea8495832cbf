import { entityWords } from '../../model/entity-words.js';
import { dimensionValues, resolveColumn, visibleColumns } from '../../model/catalog.js';
import { kpiDependencies } from '../../model/dependencies.js';
import type { KpiSpec } from '../../spec/kpi.js';
import { targetBlocks } from '../../spec/target-blocks.js';
import type { Rule } from '../rule.js';
import { suggest } from '../../text/suggest.js';

/** The source a KPI's slices come from: its measure's source (derived and benchmark KPIs slice like the KPIs they use). */
export function sliceSource(kpi: KpiSpec): string | undefined {
  const m = kpi.measure as { source?: unknown; numerator?: { source: string }; of?: { source: string } };
  if (kpi.measure.kind === 'ratio') return m.numerator?.source;
  if (kpi.measure.kind === 'growth') return m.of?.source;
  return typeof m.source === 'string' ? m.source : undefined;
}

/**
 * Dimensions resolve to columns of every source the measure slices (both sides of a ratio)
 * or of the HCP table, and are dimensions of every KPI a formula uses; target overrides use
 * only declared dimensions and values they can have.
 */
export const kpiDimensions: Rule = {
  name: 'kpi-dimensions',
  check(ctx) {
    const channels = [...ctx.files.channels.map((c) => c.spec.id), ...ctx.files.unchecked.channel];
    const byId = new Map(ctx.files.kpis.map((k) => [k.spec.id, k.spec]));
    for (const { file, spec } of ctx.files.kpis) {
      const source = sliceSource(spec);
      const dims = spec.dimensions ?? [];
      // A ratio is sliced on both sides: each dimension must exist in both sources.
      const sources = spec.measure.kind === 'ratio' ? [...new Set([spec.measure.numerator.source, spec.measure.denominator.source])] : source ? [source] : [];
      dims.forEach((dim, i) => {
        const lacking = sources.find((s) => ctx.project.sources[s] && !resolveColumn(ctx.project, s, dim));
        if (lacking) ctx.report('kpi/unknown-dimension', { name: dim, source: lacking, entity: entityWords(ctx.project).one, suggestion: suggest(dim, visibleColumns(ctx.project, lacking)) }, { file, path: ['dimensions', i] });
      });
      if (spec.measure.kind === 'derived') {
        const uses = kpiDependencies(spec).flatMap((id) => byId.get(id) ?? []);
        dims.forEach((dim, i) => {
          const lacking = uses.filter((k) => !(k.dimensions ?? []).includes(dim)).map((k) => k.id);
          if (lacking.length > 0) ctx.report('kpi/derived-dimension', { name: dim, kpis: lacking }, { file, path: ['dimensions', i] });
        });
      }
      for (const { path, overrides } of targetBlocks(spec.target)) {
        overrides.forEach((override, i) => {
          for (const [key, value] of Object.entries(override.where)) {
            const at = [...path, 'overrides', i, 'where', key];
            if (!dims.includes(key)) {
              ctx.report('kpi/override-dimension', { name: key, suggestion: suggest(key, dims) }, { file, path: at, target: 'key' });
              continue;
            }
            const allowed = dimensionValues(ctx.project, key, channels);
            if (allowed && !allowed.includes(String(value))) ctx.report('kpi/override-value', { name: String(value), dimension: key, suggestion: suggest(String(value), allowed) }, { file, path: at });
          }
        });
      }
    }
  },
};
