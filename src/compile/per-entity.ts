import type { EvalPeriod } from '../model/period.js';
import type { ColumnSpec } from '../spec/project.js';
import type { Parameters } from './filter.js';
import { groupingSets, projectSets, unionDims } from './grouping.js';
import { dimColumn, type PlannedQuery } from './plan.js';
import type { Relation } from './relation.js';
import type { Dialect } from './dialects/index.js';
import type { SliceScope } from './scope.js';

/** Slice dimensions that are the source's own columns (event level, e.g. brand), as opposed to the HCP table's. */
export function eventDims(ctx: SliceScope, rel: Relation): string[] {
  return unionDims(ctx.sets).filter((d) => rel.spec.columns[d] !== undefined && rel.source !== ctx.model.entity.source);
}

export const eventColumn = (dim: string) => `e:${dim}`;

/**
 * GROUPING SETS over the event-level dimensions only, for a per-HCP level: one row per
 * HCP for each combination of event-level dimensions a slice needs (e.g. per brand, and
 * across brands). `egid` says which of them are rolled up.
 */
export function perEntityGrouping(ctx: SliceScope, rel: Relation, sqlOf: (dim: string) => string = (d) => rel.own(d)) {
  const dims = eventDims(ctx, rel);
  const sets = projectSets(ctx.sets, (d) => dims.includes(d));
  const select = [
    dims.length > 0 ? `${rel.dialect.grouping(dims.map(sqlOf))} AS "egid"` : '0 AS "egid"',
    ...dims.map((d) => `${sqlOf(d)} AS ${rel.dialect.ident(eventColumn(d))}`),
  ];
  /** The GROUP BY list: `always`, then the grouping sets. */
  const groupBy = (always: readonly string[]) => groupingSets(rel.dialect, always, dims, sets, sqlOf);
  return { dims, select, groupBy };
}

/** A VALUES list of the periods, one row each, with bound values: `(VALUES …) AS p(period, …)`. */
export function periodValues(dialect: Dialect, params: Parameters, periods: readonly EvalPeriod[], extra: Record<string, [(p: EvalPeriod, i: number) => string | number, ColumnSpec['type']]> = {}): string {
  type Column = [(p: EvalPeriod, i: number) => string | number, ColumnSpec['type']];
  const columns: Record<string, Column> = {
    period: [(p) => p.start.getTime(), 'integer'], start: [(p) => p.start.toISOString(), 'timestamp'], end: [(p) => p.end.toISOString(), 'timestamp'], ...extra,
  };
  const rows = periods.map((p, i) => Object.values(columns).map(([get, type]) => {
    const placeholder = params.bind(get(p, i), type);
    return type === 'integer' ? `CAST(${placeholder} AS ${dialect.type('integer')})` : placeholder;
  }));
  return dialect.valuesTable(rows, Object.keys(columns), 'p');
}

export interface SlicedQuery {
  id: string;
  description: string;
  params: Parameters;
  /**
   * CTEs (`name AS (…)`) ending in one named `per`: one row per period, HCP (`entity`) and
   * event-level grouping, with `egid` and `e:<dim>` columns, each computed from that HCP's
   * rows only (and tables without HCPs): the query adds up over HCPs (`byHcp`).
   */
  ctes: string[];
  /** Counts and exact sums over the `per` rows of a slice, by output column (`kpi:component`). */
  aggregates: Record<string, string>;
}

/**
 * Aggregates per-HCP rows into slices: HCP-table dimensions come from joining the HCP
 * table, event-level ones from the per-HCP grouping that matches the slice.
 */
export function slicedQuery(ctx: SliceScope, rel: Relation, q: SlicedQuery): PlannedQuery {
  const { ident } = ctx.dialect;
  const eDims = eventDims(ctx, rel);
  const entity = ctx.model.entity;
  const hcpSets = ctx.sets.filter((s) => s.every((d) => eDims.includes(d) || ctx.model.sources[entity.source]!.columns[d]));
  const dims = unionDims(hcpSets);
  const sqlOf = (d: string) => (eDims.includes(d) ? `per.${ident(eventColumn(d))}` : `h.${ident(d)}`);
  const aggregates = Object.entries(q.aggregates).map(([column, sql]) => `${sql} AS ${ident(column)}`);
  const bit = (d: string) => 2 ** (dims.length - 1 - dims.indexOf(d));
  // Each slice reads the per-HCP rows grouped by exactly its own event-level dimensions:
  // slices are grouped apart by which of those they roll up, each from its own rows.
  const egidOf = (set: readonly string[]) => eDims.reduce((g, d, i) => g + (set.includes(d) ? 0 : 2 ** (eDims.length - 1 - i)), 0);
  const byEgid = new Map<number, string[][]>();
  for (const set of hcpSets) byEgid.set(egidOf(set), [...(byEgid.get(egidOf(set)) ?? []), set]);
  const branches = [...byEgid].map(([egid, sets]) => {
    const used = unionDims(sets);
    const gid = [...dims.filter((d) => !used.includes(d)).reduce((g, d) => g + bit(d), 0).toString(), ...used.map((d) => `GROUPING(${sqlOf(d)})${bit(d) === 1 ? '' : ` * ${bit(d)}`}`)].join(' + ');
    const groupBy = sets.length === 1
      ? ['per."period"', ...sets[0]!.map(sqlOf)].join(', ')
      : groupingSets(ctx.dialect, ['per."period"'], used, sets, sqlOf);
    const join = used.some((d) => !eDims.includes(d)) ? ` LEFT JOIN ${ctx.dialect.table(entity.source)} AS h ON per."entity" = h.${ident(entity.key)}` : '';
    return [
      `SELECT per."period" AS "period", ${[`${gid} AS "gid"`, ...dims.map((d) => `${used.includes(d) ? sqlOf(d) : 'NULL'} AS ${ident(dimColumn(d))}`), ...aggregates].join(',\n  ')}`,
      `FROM per${join}`,
      ...(eDims.length > 0 ? [`WHERE per."egid" = ${egid}`] : []),
      `GROUP BY ${groupBy}`,
    ].join('\n');
  });
  const sql = [`WITH ${q.ctes.join(',\n')}`, branches.join('\nUNION ALL\n')].join('\n');
  return { id: q.id, description: q.description, sql, params: q.params.values, dims, feeds: Object.keys(q.aggregates), byHcp: true };
}

export interface TouchLevels {
  /** The CTE read: one row per event, with the `keys`, the touch and the `e:<dim>` columns. */
  source: string;
  /** The CTE written: one row per touch and event-level grouping, with `keys`, `egid`, `e:<dim>` columns and the aggregates. */
  name: string;
  /** Grouping columns besides the touch, kept in the result (the period, the HCP …). */
  keys: string[];
  touch: string;
  eDims: string[];
  /** The combinations of event-level dimensions needed (projected slice sets). */
  eSets: string[][];
  /** Aggregates over the source's rows, each `… AS "name"`, that re-aggregate nothing. */
  aggregates: string[];
  /** Their output names, in order. */
  columns: string[];
}

/**
 * Rows grouped per touch for each combination of event-level dimensions (e.g. per brand,
 * and across brands). A touch nearly always has one value of each such dimension (an email
 * is about one brand): it is grouped once, and its row serves every combination. A touch
 * whose rows carry several values of one (a webinar on two brands) is grouped again from
 * its rows by the combinations that split it, so it still counts once across brands and
 * once in each of its brands. When no touch does, that second grouping reads no rows (on
 * engines without `emptyJoinReadsNothing`, an `EXISTS` makes sure of it).
 */
export function touchLevels(dialect: Dialect, o: TouchLevels): string[] {
  const { ident } = dialect;
  const eCol = (d: string) => ident(eventColumn(d));
  const keys = o.keys.join(', ');
  const columns = o.columns.join(', ');
  if (o.eDims.length === 0) {
    return [`${o.name} AS (
  SELECT ${keys}, 0 AS "egid", ${o.aggregates.join(', ')}
  FROM ${o.source} GROUP BY ${keys}, ${o.touch})`];
  }
  const one = `${o.name}_one`;
  const egid = (set: readonly string[]) => o.eDims.reduce((g, d, i) => g + (set.includes(d) ? 0 : 2 ** (o.eDims.length - 1 - i)), 0);
  const multi = o.eDims.map((d) => `${dialect.distinct(`min(${eCol(d)})`, `max(${eCol(d)})`)} OR (${dialect.agg('bool_or', `${eCol(d)} IS NULL`)} AND max(${eCol(d)}) IS NOT NULL)`).join(' OR ');
  const split = o.eSets.filter((set) => set.length > 0);
  const levels = o.eSets.map((set) => `SELECT ${keys}, ${egid(set)} AS "egid"${o.eDims.map((d) => `, ${set.includes(d) ? eCol(d) : 'NULL'} AS ${eCol(d)}`).join('')}, ${columns}
  FROM ${one}${set.length > 0 ? ' WHERE NOT "multi"' : ''}`);
  if (split.length > 0) {
    const same = [...o.keys, o.touch].map((k) => dialect.distinct(`m.${k}`, `r.${k}`, true)).join(' AND ');
    const rCol = (d: string) => `r.${eCol(d)}`;
    levels.push(`SELECT ${o.keys.map((k) => `r.${k}`).join(', ')}, ${dialect.grouping(o.eDims.map(rCol))} AS "egid"${o.eDims.map((d) => `, ${rCol(d)}`).join('')}, ${o.aggregates.join(', ')}
  FROM ${o.source} AS r JOIN (SELECT ${[...o.keys, o.touch].join(', ')} FROM ${one} WHERE "multi") AS m ON ${same}${dialect.capabilities.emptyJoinReadsNothing ? '' : `
  WHERE EXISTS (SELECT 1 FROM ${one} WHERE "multi")`}
  GROUP BY ${split.length === 1 ? [...o.keys.map((k) => `r.${k}`), `r.${o.touch}`, ...split[0]!.map(rCol)].join(', ') : groupingSets(dialect, [...o.keys.map((k) => `r.${k}`), `r.${o.touch}`], o.eDims, split, rCol)}`);
  }
  return [
    `${one} AS (
  SELECT ${keys}, ${o.touch}, ${o.eDims.map((d) => `min(${eCol(d)}) AS ${eCol(d)}`).join(', ')}, ${multi} AS "multi", ${o.aggregates.join(', ')}
  FROM ${o.source} GROUP BY ${keys}, ${o.touch})`,
    `${o.name} AS (
  ${levels.join('\n  UNION ALL\n  ')})`,
  ];
}

/**
 * Per-HCP rows for each combination of event-level dimensions, from rows grouped once by
 * all of them: a coarser combination re-aggregates those rows (`max` of maxima, `bit_or`
 * of bit sets), which is exact for aggregates that do not count. `source` has the `keys`,
 * the `e:<dim>` columns and `columns`; the result adds `egid`.
 */
export function rollUp(dialect: Dialect, o: { source: string; keys: string[]; eDims: string[]; eSets: string[][]; columns: { name: string; fn: 'max' | 'bit_or' }[] }): string {
  const eCol = (d: string) => dialect.ident(eventColumn(d));
  const egidOf = (set: readonly string[]) => o.eDims.reduce((g, d, i) => g + (set.includes(d) ? 0 : 2 ** (o.eDims.length - 1 - i)), 0);
  const keys = o.keys.join(', ');
  return o.eSets.map((set) => {
    const finest = set.length === o.eDims.length;
    const columns = o.columns.map((c) => (finest ? `"${c.name}"` : `${dialect.agg(c.fn, `"${c.name}"`)} AS "${c.name}"`)).join(', ');
    return `SELECT ${keys}, ${egidOf(set)} AS "egid"${o.eDims.map((d) => `, ${set.includes(d) ? eCol(d) : 'NULL'} AS ${eCol(d)}`).join('')}, ${columns}
  FROM ${o.source}${finest ? '' : ` GROUP BY ${[...o.keys, ...set.map(eCol)].join(', ')}`}`;
  }).join('\n  UNION ALL\n  ');
}
