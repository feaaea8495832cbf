import type { Model } from '../model/model.js';
import type { Period } from '../model/period.js';
import type { Filter } from '../spec/filter.js';
import { engaged as engagedSql, channelIn } from './channels-sql.js';
import type { Dialect } from './dialect.js';
import { Parameters } from './filter.js';
import { groupingSql, unionDims } from './grouping.js';
import type { PlannedQuery } from './plan.js';
import { Relation } from './relation.js';
import { periodStartOf, timeOf } from './time-sql.js';
import type { KindContext } from './context.js';
import { eventColumn, perEntityGrouping, slicedQuery } from './per-entity.js';

/** One aggregate a KPI asks a scan for. Rows must match every condition given. */
export interface ScanAggregate {
  /** Output column (`kpi:component`). */
  column: string;
  fn: 'rows' | 'touches' | 'entities' | 'sum' | 'histogram';
  /** The column summed or counted into a histogram. */
  value?: string;
  where?: Filter;
  /** A filter on the HCP table. */
  population?: Filter;
  engaged?: boolean;
  /** Only rows of these channels. */
  channels?: string[];
}

/**
 * A request to read one source: per period (by its time column) for `periods`, or once
 * when the source has no time; grouped by `sets`. Requests on the same source and grain
 * are fused into one query.
 */
export interface ScanRequest {
  source: string;
  periods?: Period[];
  sets: string[][];
  aggregates: ScanAggregate[];
}

export const scanId = (source: string, grain: string | undefined) => `scan:${source}${grain ? `:${grain}` : ''}`;

function aggregateSql(rel: Relation, a: ScanAggregate, params: Parameters): string {
  const conditions = [rel.filter(a.where, params)];
  if (a.population) conditions.push(rel.population(a.population, params));
  if (a.engaged) conditions.push(engagedSql(rel, params));
  if (a.channels) conditions.push(channelIn(rel, params, a.channels));
  if (a.fn === 'histogram') conditions.push(`${rel.own(a.value!)} IS NOT NULL`);
  const filter = conditions.filter((c) => c !== 'TRUE');
  const where = filter.length > 0 ? ` FILTER (WHERE ${filter.join(' AND ')})` : '';
  const spec = rel.spec;
  const as = ` AS ${rel.dialect.ident(a.column)}`;
  switch (a.fn) {
    case 'rows':
      return `count(*)${where}${as}`;
    case 'touches':
      return `count(DISTINCT ${rel.own(spec.touch!)})${where}${as}`;
    case 'entities':
      return `count(DISTINCT ${rel.own(rel.model.entity.source === rel.source ? rel.model.entity.key : entityRef(rel))})${where}${as}`;
    case 'sum':
      return `coalesce(sum(${rel.own(a.value!)})${where}, 0)${as}`;
    case 'histogram':
      // A response without a score is not a respondent.
      return `histogram(CAST(${rel.own(a.value!)} AS DOUBLE))${where}${as}`;
  }
}

function entityRef(rel: Relation): string {
  const { model, source } = rel;
  return Object.entries(model.project.sources[source]!.columns).find(([, c]) => c.references === model.entity.source)![0];
}

/** A condition for one aggregate (TRUE when it has none). */
function conditionSql(rel: Relation, a: ScanAggregate, params: Parameters): string {
  const conditions = [rel.filter(a.where, params)];
  if (a.population) conditions.push(rel.population(a.population, params));
  if (a.engaged) conditions.push(engagedSql(rel, params));
  if (a.channels) conditions.push(channelIn(rel, params, a.channels));
  const filter = conditions.filter((c) => c !== 'TRUE');
  return filter.length > 0 ? filter.join(' AND ') : 'TRUE';
}

/**
 * Distinct counts without DISTINCT: rows are first grouped per touch (an HCP's message),
 * then per HCP, each level keeping one flag or subtotal per aggregate; slices then add
 * up plain numbers. A touch is one HCP's message, so a webinar attended by two HCPs is
 * two touches. Grouping per touch and per HCP is where the exact distinct counting
 * happens, once for all aggregates.
 */
function perEntityScan(model: Model, dialect: Dialect, requests: readonly ScanRequest[], id: string, ctxSets: string[][]): PlannedQuery {
  const { ident } = dialect;
  const first = requests[0]!;
  const rel = new Relation(model, dialect, first.source);
  const params = new Parameters(dialect);
  const periods = requests.flatMap((r) => r.periods ?? []);
  const grain = periods[0]!.grain;
  const aggregates = requests.flatMap((r) => r.aggregates);
  const entity = rel.own(entityRef(rel));
  const touch = rel.spec.touch ? rel.own(rel.spec.touch) : undefined;
  const start = periodStartOf(rel, params, grain);
  const ctx = { model, dialect, sets: ctxSets } as unknown as KindContext;
  const per = perEntityGrouping(ctx, rel);
  const eCols = per.dims.map((d) => `, ${ident(eventColumn(d))}`).join('');
  const level1 = aggregates.map((a, i) => {
    const cond = conditionSql(rel, a, params);
    if (a.fn === 'touches' || a.fn === 'entities') return `bool_or(${cond}) AS "f${i}"`;
    if (a.fn === 'rows') return `count(*) FILTER (WHERE ${cond}) AS "f${i}"`;
    return `sum(${rel.own(a.value!)}) FILTER (WHERE ${cond}) AS "f${i}"`;
  });
  const level2 = aggregates.map((a, i) => (a.fn === 'touches' ? `count(*) FILTER (WHERE "f${i}") AS "f${i}"` : a.fn === 'entities' ? `bool_or("f${i}") AS "f${i}"` : `sum("f${i}") AS "f${i}"`));
  const from = new Date(Math.min(...periods.map((p) => p.start.getTime())));
  const to = new Date(Math.max(...periods.map((p) => p.end.getTime())));
  const window = `${timeOf(rel)} >= ${params.bind(from.toISOString(), 'timestamp')} AND ${timeOf(rel)} < ${params.bind(to.toISOString(), 'timestamp')}`;
  const ctes = [
    `rows_by_touch AS (
  SELECT ${dialect.epochMs(start)} AS "period", ${entity} AS "entity", ${per.select.join(', ')},
    ${level1.join(',\n    ')}
  FROM ${rel.from()}
  WHERE ${window}
  GROUP BY ${start}, ${entity}${touch ? `, ${touch}` : ''}, ${per.groupingSets})`,
    `per AS (
  SELECT "period", "entity", "egid"${eCols}, ${level2.join(', ')}
  FROM rows_by_touch GROUP BY "period", "entity", "egid"${eCols})`,
  ];
  const outer = Object.fromEntries(aggregates.map((a, i) => [a.column,
    a.fn === 'entities' ? `count(*) FILTER (WHERE per."f${i}")` : `coalesce(sum(per."f${i}"), 0)`]));
  const query = slicedQuery(ctx, rel, { id, description: `per ${grain}, one pass over ${first.source} for ${new Set(aggregates.map((a) => a.column.split(':')[0])).size} KPIs`, params, ctes, aggregates: outer });
  return query;
}

/** Fuses the requests on one source and grain into one query: one scan, one aggregate per component. */
export function fuseScans(model: Model, dialect: Dialect, requests: readonly ScanRequest[]): PlannedQuery {
  const first = requests[0]!;
  const spec = model.project.sources[first.source]!;
  const distinct = requests.some((r) => r.aggregates.some((a) => a.fn === 'touches' || a.fn === 'entities'));
  const simple = !distinct || !spec.time || first.source === model.entity.source || requests.some((r) => r.aggregates.some((a) => a.fn === 'histogram'))
    || !Object.values(spec.columns).some((c) => c.references === model.entity.source);
  if (!simple) {
    const sets = [...new Map(requests.flatMap((r) => r.sets).map((s) => [s.join(','), s])).values()];
    return perEntityScan(model, dialect, requests, scanId(first.source, requests[0]!.periods![0]!.grain), sets);
  }
  const rel = new Relation(model, dialect, first.source);
  const params = new Parameters(dialect);
  const periods = requests.flatMap((r) => r.periods ?? []);
  const grain = periods[0]?.grain;
  const sets = new Map(requests.flatMap((r) => r.sets).map((s) => [s.join(','), s]));
  const dims = unionDims([...sets.values()]);
  const aggregates = requests.flatMap((r) => r.aggregates).map((a) => aggregateSql(rel, a, params));
  const always: string[] = [];
  const select: string[] = [];
  const where: string[] = [];
  if (grain) {
    const time = rel.own(rel.spec.time!);
    const start = periodStartOf(rel, params, grain);
    always.push(start);
    select.push(`${dialect.epochMs(start)} AS "period"`);
    const from = new Date(Math.min(...periods.map((p) => p.start.getTime())));
    const to = new Date(Math.max(...periods.map((p) => p.end.getTime())));
    where.push(`${time} >= ${params.bind(from.toISOString(), 'timestamp')}`, `${time} < ${params.bind(to.toISOString(), 'timestamp')}`);
  }
  const grouping = groupingSql(dialect.ident, dims, [...sets.values()], (d) => rel.column(d).sql, always);
  const sql = [
    `SELECT ${[...select, ...grouping.select, ...aggregates].join(',\n  ')}`,
    `FROM ${rel.from()}`,
    ...(where.length > 0 ? [`WHERE ${where.join(' AND ')}`] : []),
    `GROUP BY ${grouping.groupBy}`,
  ].join('\n');
  return {
    id: scanId(first.source, grain),
    description: `${grain ? `per ${grain}, ` : ''}one pass over ${first.source} for ${new Set(requests.flatMap((r) => r.aggregates.map((a) => a.column.split(':')[0]))).size} KPIs`,
    sql,
    params: params.values,
    dims,
    feeds: requests.flatMap((r) => r.aggregates.map((a) => a.column)),
  };
}
