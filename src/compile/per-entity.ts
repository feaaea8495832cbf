import type { Period } from '../model/period.js';
import type { ColumnSpec } from '../spec/project.js';
import type { KindContext } from './context.js';
import type { Parameters } from './filter.js';
import { groupingSql, projectSets, unionDims } from './grouping.js';
import type { PlannedQuery } from './plan.js';
import type { Relation } from './relation.js';

/** Slice dimensions that are the source's own columns (event level, e.g. brand), as opposed to the HCP table's. */
export function eventDims(ctx: KindContext, rel: Relation): string[] {
  return unionDims(ctx.sets).filter((d) => rel.spec.columns[d] !== undefined && rel.source !== ctx.model.entity.source);
}

export const eventColumn = (dim: string) => `e:${dim}`;

/**
 * GROUPING SETS over the event-level dimensions only, for a per-HCP level: one row per
 * HCP for each combination of event-level dimensions a slice needs (e.g. per brand, and
 * across brands). `egid` says which of them are rolled up.
 */
export function perEntityGrouping(ctx: KindContext, rel: Relation, sqlOf: (dim: string) => string = (d) => rel.own(d)) {
  const dims = eventDims(ctx, rel);
  const sets = projectSets(ctx.sets, (d) => dims.includes(d));
  const g = groupingSql(rel.dialect.ident, dims, sets, sqlOf, []);
  const select = [
    dims.length > 0 ? `GROUPING(${dims.map(sqlOf).join(', ')}) AS "egid"` : '0 AS "egid"',
    ...dims.map((d) => `${sqlOf(d)} AS ${rel.dialect.ident(eventColumn(d))}`),
  ];
  return { dims, select, groupingSets: g.groupBy };
}

/** A VALUES list of the periods, one row each, with bound values: `(VALUES …) AS p(period, …)`. */
export function periodValues(params: Parameters, periods: readonly Period[], extra: Record<string, [(p: Period, i: number) => string | number, ColumnSpec['type']]> = {}): string {
  type Column = [(p: Period, i: number) => string | number, ColumnSpec['type']];
  const columns: Record<string, Column> = {
    period: [(p) => p.start.getTime(), 'integer'], start: [(p) => p.start.toISOString(), 'timestamp'], end: [(p) => p.end.toISOString(), 'timestamp'], ...extra,
  };
  const rows = periods.map((p, i) => `(${Object.values(columns).map(([get, type]) => {
    const placeholder = params.bind(get(p, i), type);
    return type === 'integer' ? `CAST(${placeholder} AS BIGINT)` : placeholder;
  }).join(', ')})`);
  return `(VALUES ${rows.join(', ')}) AS p(${Object.keys(columns).map((c) => `"${c}"`).join(', ')})`;
}

export interface SlicedQuery {
  id: string;
  description: string;
  params: Parameters;
  /** CTEs (`name AS (…)`) ending in one named `per`: one row per period, HCP (`entity`) and event-level grouping, with `egid` and `e:<dim>` columns. */
  ctes: string[];
  /** Aggregates over the `per` rows of a slice, by output column (`kpi:component`). */
  aggregates: Record<string, string>;
}

/**
 * Aggregates per-HCP rows into slices: HCP-table dimensions come from joining the HCP
 * table, event-level ones from the per-HCP grouping that matches the slice.
 */
export function slicedQuery(ctx: KindContext, rel: Relation, q: SlicedQuery): PlannedQuery {
  const { ident } = ctx.dialect;
  const eDims = eventDims(ctx, rel);
  const entity = ctx.model.entity;
  const hcpSets = ctx.sets.filter((s) => s.every((d) => eDims.includes(d) || ctx.model.project.sources[entity.source]!.columns[d]));
  const dims = unionDims(hcpSets);
  const sqlOf = (d: string) => (eDims.includes(d) ? `per.${ident(eventColumn(d))}` : `h.${ident(d)}`);
  const g = groupingSql(ident, dims, hcpSets, sqlOf, ['per."period"', 'per."egid"']);
  // Each slice reads the per-HCP rows grouped by exactly its own event-level dimensions.
  const having = eDims.length > 0 ? `\nHAVING per."egid" = GROUPING(${eDims.map(sqlOf).join(', ')})` : '';
  const aggregates = Object.entries(q.aggregates).map(([column, sql]) => `${sql} AS ${ident(column)}`);
  const sql = [
    `WITH ${q.ctes.join(',\n')}`,
    `SELECT per."period" AS "period", ${[...g.select, ...aggregates].join(',\n  ')}`,
    `FROM per LEFT JOIN ${ident(entity.source)} AS h ON per."entity" = h.${ident(entity.key)}`,
    `GROUP BY ${g.groupBy}${having}`,
  ].join('\n');
  return { id: q.id, description: q.description, sql, params: q.params.values, dims, feeds: Object.keys(q.aggregates) };
}
