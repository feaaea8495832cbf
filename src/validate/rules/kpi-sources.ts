import { entityWords } from '../../model/entity-words.js';
import { entityJoin, entitySourceName, resolveColumn, visibleColumns } from '../../model/catalog.js';
import { conditions } from '../../model/filter-walk.js';
import { measureRefs } from '../../model/measure-refs.js';
import type { Loaded } from '../files.js';
import type { Scalar } from '../../spec/filter.js';
import type { KpiSpec } from '../../spec/kpi.js';
import type { ColumnSpec } from '../../spec/project.js';
import type { Rule, RuleContext } from '../rule.js';
import { suggest } from '../../text/suggest.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Whether a literal from a filter can be compared with a column of this type (null always can). */
export function fitsType(value: Scalar, type: ColumnSpec['type']): boolean {
  if (value === null) return true;
  switch (type) {
    case 'boolean': return typeof value === 'boolean';
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'number': return typeof value === 'number';
    case 'string': return typeof value === 'string';
    case 'date': return typeof value === 'string' && DATE.test(value);
    case 'timestamp': return typeof value === 'string' && TIMESTAMP.test(value);
  }
}

function checkKpi(ctx: RuleContext, { file, spec }: Loaded<KpiSpec>, channels: string[]) {
  const project = ctx.project;
  const sources = Object.keys(project.sources);
  const entity = entitySourceName(project);
  const refs = measureRefs(spec.measure, entity);
  // Population filters select HCPs: they are checked against the HCP table.
  const known = new Set<string>(entity ? [entity] : []);
  for (const use of refs.sources) {
    if (project.sources[use.source]) known.add(use.source);
    else ctx.report('kpi/unknown-source', { name: use.source, suggestion: suggest(use.source, sources) }, { file, path: use.path });
  }
  for (const use of refs.columns.filter((c) => known.has(c.source))) {
    const resolved = use.own ? project.sources[use.source]!.columns[use.column] : resolveColumn(project, use.source, use.column)?.spec;
    if (resolved && use.types && !use.types.includes(resolved.type)) {
      const expected = use.types.includes('integer') ? 'numbers' : 'dates or timestamps';
      ctx.report('kpi/column-type', { name: use.column, role: use.role ?? 'this measure', type: resolved.type, expected }, { file, path: use.path });
    }
    if (!resolved) {
      const candidates = use.own ? Object.keys(project.sources[use.source]!.columns) : visibleColumns(project, use.source);
      const params = { name: use.column, source: use.source, suggestion: suggest(use.column, candidates) };
      if (use.own) ctx.report('kpi/unknown-own-column', { ...params, entity: entityWords(project).one }, { file, path: use.path });
      else ctx.report('kpi/unknown-column', { ...params, entity: entityJoin(project, use.source) && entityWords(project).one }, { file, path: use.path });
    }
  }
  for (const use of refs.filters.filter((f) => known.has(f.source))) {
    for (const condition of conditions(use.filter, use.path)) {
      const resolved = resolveColumn(project, use.source, condition.column);
      if (!resolved) {
        ctx.report('kpi/unknown-column', { name: condition.column, source: use.source, entity: entityJoin(project, use.source) && entityWords(project).one, suggestion: suggest(condition.column, visibleColumns(project, use.source)) }, { file, path: condition.path, target: 'key' });
        continue;
      }
      for (const { value, path } of condition.values) {
        if (!fitsType(value, resolved.spec.type)) ctx.report('kpi/value-type', { value: JSON.stringify(value), column: `${resolved.source}.${resolved.column}`, type: resolved.spec.type }, { file, path });
      }
      const isChannel = project.sources[resolved.source]?.channel === resolved.column;
      const allowed = isChannel ? channels : resolved.spec.values?.map(String);
      if (!allowed) continue;
      for (const { value, path } of condition.values) {
        if (value === null || allowed.includes(String(value))) continue;
        if (isChannel) ctx.report('kpi/unknown-channel', { name: String(value), suggestion: suggest(String(value), allowed) }, { file, path });
        else ctx.report('kpi/unknown-value', { name: String(value), column: `${resolved.source}.${resolved.column}`, suggestion: suggest(String(value), allowed) }, { file, path });
      }
    }
  }
}

/**
 * Every source, column, channel and declared value a KPI names exists. Values of a
 * source's `channel` column must be channels in `channels/`; columns with `values` accept only those.
 */
export const kpiSources: Rule = {
  name: 'kpi-sources',
  check(ctx) {
    const channels = [...ctx.files.channels.map((c) => c.spec.id), ...ctx.files.unchecked.channel];
    for (const kpi of ctx.files.kpis) checkKpi(ctx, kpi, channels);
  },
};
