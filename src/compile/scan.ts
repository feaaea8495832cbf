import { entityColumn, type Model } from '../model/model.js';
import type { EvalPeriod } from '../model/period.js';
import type { Filter } from '../spec/filter.js';
import { channelBit, channelIn, engaged as engagedSql } from './channels-sql.js';
import type { Dialect } from './dialects/index.js';
import { Parameters } from './filter.js';
import { groupingSets, groupingSql, unionDims } from './grouping.js';
import { scanId, type PlannedQuery } from './plan.js';
import { Relation } from './relation.js';
import { daysSql, followedSql, type DaySpan, type FollowedBy } from './followed.js';
import { periodStartOf, timeWindow } from './time-sql.js';
import type { SliceScope } from './scope.js';
import { projectSets } from './grouping.js';
import { eventColumn, eventDims, slicedQuery, touchLevels } from './per-entity.js';

/** One aggregate a KPI asks a scan for. Rows must match every condition given. */
export interface ScanAggregate {
  /** Output column (`kpi:component`). */
  column: string;
  fn: 'rows' | 'touches' | 'entities' | 'sum' | 'histogram' | 'channels';
  /** With `channels`: HCPs whose matching rows span at least this many distinct channels. */
  minChannels?: number;
  /** For HCP counts: only HCPs that also have rows matching this (a rate's denominator). */
  within?: Pick<ScanAggregate, 'where' | 'population' | 'engaged' | 'channels' | 'followedBy'>;
  /** The column summed or counted into a histogram. */
  value?: string;
  /** With `sum`: add up the days from one column to another instead of a column. */
  days?: DaySpan;
  /** Only rows whose HCP has a row in another source within a window after this row's time. */
  followedBy?: FollowedBy;
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
  periods?: EvalPeriod[];
  sets: string[][];
  aggregates: ScanAggregate[];
}

/**
 * The fused scan a request joins: one per source, grain and first period. Requests over
 * different windows (Rx growth reads a year more than Rx share) stay apart, so the longer
 * window does not make every aggregate read it.
 */
const kpiCount = (aggregates: readonly ScanAggregate[]) => {
  const n = new Set(aggregates.filter((a) => !a.column.endsWith('#within')).map((a) => a.column.split(':')[0])).size;
  return `${n} KPI${n === 1 ? '' : 's'}`;
};


/** A condition for one aggregate (TRUE when it has none). */
function conditionSql(rel: Relation, a: ScanAggregate, params: Parameters): string {
  const conditions = [rel.filter(a.where, params)];
  if (a.population) conditions.push(rel.population(a.population, params));
  if (a.engaged) conditions.push(engagedSql(rel, params));
  if (a.channels) conditions.push(channelIn(rel, params, a.channels));
  if (a.followedBy) conditions.push(followedSql(rel, a.followedBy, params));
  const filter = conditions.filter((c) => c !== 'TRUE');
  return filter.length > 0 ? filter.join(' AND ') : 'TRUE';
}

/** A column to add up: a `number` column as an exact decimal (sums then do not depend on row order); whole numbers add exactly as they are. */
const summand = (rel: Relation, a: ScanAggregate) => {
  if (a.days) return daysSql(rel, a.days);
  const column = a.value!;
  return rel.spec.columns[column]?.type === 'integer' ? rel.own(column) : rel.dialect.exact(rel.own(column));
};
/** What a sum adds up, as a key: sums of the same thing share a column. */
const summed = (a: ScanAggregate) => (a.days ? `days:${a.days.from}:${a.days.to}` : a.value);

function aggregateSql(rel: Relation, a: ScanAggregate, params: Parameters): string {
  const condition = conditionSql(rel, a, params);
  // A response without a score is not a respondent.
  const filter = a.fn === 'histogram' ? [condition, `${rel.own(a.value!)} IS NOT NULL`].filter((c) => c !== 'TRUE') : [condition].filter((c) => c !== 'TRUE');
  const where = filter.length > 0 ? filter.join(' AND ') : undefined;
  const spec = rel.spec;
  const d = rel.dialect;
  const as = ` AS ${rel.dialect.ident(a.column)}`;
  switch (a.fn) {
    case 'rows':
      return `${d.agg('count', '*', where)}${as}`;
    case 'touches': {
      // A touch is one HCP's message: a webinar two HCPs attend is two touches.
      const ref = entityColumn(rel.model, rel.source);
      const touch = rel.own(spec.touch!);
      if (where && !d.capabilities.filterClause) throw new Error(`${d.name} cannot count distinct touches under a condition without a per-HCP grouping`);
      return `count(DISTINCT ${ref ? `(${rel.own(ref)}, ${touch})` : touch})${where ? ` FILTER (WHERE ${where})` : ''}${as}`;
    }
    case 'entities':
    {
      const entity = rel.own(entityColumn(rel.model, rel.source)!);
      if (!where) return `count(DISTINCT ${entity})${as}`;
      return d.capabilities.filterClause ? `count(DISTINCT ${entity}) FILTER (WHERE ${where})${as}` : `count(DISTINCT CASE WHEN ${where} THEN ${entity} END)${as}`;
    }
    case 'sum':
      return `coalesce(${d.agg('sum', summand(rel, a), where)}, 0)${as}`;
    case 'histogram':
      return `${d.answers(rel.own(a.value!), where)}${as}`;
    case 'channels':
      throw new Error(`min_channels needs ${rel.source} to have a time column and a column referencing the HCP table`);
  }
}

/**
 * Exact distinct counts without a DISTINCT per aggregate: each condition is computed once
 * per row; rows are grouped per touch (an HCP's message), then per HCP, each level
 * keeping one flag or subtotal per aggregate; slices then add up plain numbers. Distinct
 * aggregates cost DuckDB a hash table per aggregate and grouping set; this costs two
 * groupings whatever the number of KPIs. A touch is one HCP's message, so a webinar
 * attended by two HCPs is two touches.
 */
function perEntityScan(model: Model, dialect: Dialect, requests: readonly ScanRequest[], id: string): PlannedQuery {
  const { ident } = dialect;
  const first = requests[0]!;
  const sets = [...new Map(requests.flatMap((r) => r.sets).map((s) => [s.join(','), s])).values()];
  const rel = new Relation(model, dialect, first.source);
  const params = new Parameters(dialect);
  const periods = requests.flatMap((r) => r.periods ?? []);
  const grain = periods[0]!.grain;
  const asked = requests.flatMap((r) => r.aggregates);
  // A rate's numerator counts only HCPs of its denominator: the denominator's condition is one more flag per HCP.
  const aggregates: ScanAggregate[] = [...asked, ...asked.filter((a) => a.within).map((a) => ({ column: `${a.column}#within`, fn: 'entities' as const, ...a.within }))];
  const withinOf = (a: ScanAggregate) => aggregates.findIndex((b) => b.column === `${a.column}#within`);
  // Each distinct part of a condition (a filter, a population, engagement, a channel list)
  // is one boolean column, computed once per row whatever the number of KPIs using it.
  const atoms = new Map<string, { name: string; sql: string }>();
  const atom = (key: unknown, sql: () => string) => {
    const k = JSON.stringify(key);
    if (!atoms.has(k)) atoms.set(k, { name: `a${atoms.size}`, sql: sql() });
    return `"${atoms.get(k)!.name}"`;
  };
  const conditionOf = aggregates.map((a) => {
    const parts = [
      ...(a.where ? [atom(['where', a.where], () => rel.filter(a.where, params))] : []),
      ...(a.population ? [atom(['population', a.population], () => rel.population(a.population, params))] : []),
      ...(a.engaged ? [atom(['engaged'], () => engagedSql(rel, params))] : []),
      ...(a.channels ? [atom(['channels', a.channels], () => channelIn(rel, params, a.channels!))] : []),
      ...(a.followedBy ? [atom(['followed', a.followedBy], () => followedSql(rel, a.followedBy!, params))] : []),
    ];
    return parts.length > 0 ? parts.join(' AND ') : 'TRUE';
  });
  const bits = aggregates.some((a) => a.fn === 'channels') ? channelBit(rel, params) : undefined;
  const entity = rel.own(entityColumn(model, first.source)!);
  const touch = rel.spec.touch ? rel.own(rel.spec.touch) : 'NULL';
  const start = periodStartOf(rel, params, periods);
  const ctx: SliceScope = { model, dialect, sets };
  const eDims = eventDims(ctx, rel);
  const eSets = projectSets(sets, (d) => eDims.includes(d));
  const eCol = (d: string) => ident(eventColumn(d));
  const from = new Date(Math.min(...periods.map((p) => p.start.getTime())));
  const to = new Date(Math.max(...periods.map((p) => p.end.getTime())));
  // Read twice when touches are grouped per brand (again for touches spanning brands, which
  // are usually none): not materialized, so that second read costs nothing without them.
  const rowsCte = `scanned AS ${rel.spec.touch && eSets.some((set) => set.length > 0) && dialect.capabilities.notMaterialized ? 'NOT MATERIALIZED ' : ''}(
  SELECT ${dialect.epochMs(start)} AS "period", ${entity} AS "entity", ${touch} AS "touch"${eDims.map((d) => `, ${rel.own(d)} AS ${eCol(d)}`).join('')}${aggregates.some((a) => a.fn === 'sum') ? aggregates.map((a, i) => (a.fn === 'sum' ? `, ${summand(rel, a)} AS "v${i}"` : '')).join('') : ''}${[...atoms.values()].map((a) => `,\n    ${a.sql} AS "${a.name}"`).join('')}${bits ? `,\n    ${bits} AS "channel_bit"` : ''}
  FROM ${rel.from()}
  WHERE ${timeWindow(rel, params, from, to)})`;
  // Aggregates that compute the same thing share one column (e.g. two KPIs counting reached HCPs).
  const slots = new Map<string, number>();
  const slotOf = aggregates.map((a, i) => {
    const key = `${a.fn}|${a.fn === 'sum' ? summed(a) : ''}|${conditionOf[i]}`;
    if (!slots.has(key)) slots.set(key, i);
    return slots.get(key)!;
  });
  const unique = aggregates.map((a, i) => [a, i] as const).filter(([, i]) => slotOf[i] === i);
  // Per touch, one column per distinct condition and kind of value: counting touches and
  // flagging HCPs under the same condition read the same per-touch flag.
  const touchSlots = new Map<string, number>();
  const touchSlotOf = aggregates.map((a, i) => {
    const kind = a.fn === 'touches' || a.fn === 'entities' ? 'flag' : a.fn === 'sum' ? `sum|${summed(a)}` : a.fn;
    const key = `${kind}|${conditionOf[i]}`;
    if (!touchSlots.has(key)) touchSlots.set(key, i);
    return touchSlots.get(key)!;
  });
  const perTouch = aggregates.map((a, i) => [a, i] as const).filter(([, i]) => touchSlotOf[i] === i).map(([a, i]) => {
    const c = conditionOf[i]!;
    if (a.fn === 'touches' || a.fn === 'entities') return `${dialect.agg('bool_or', c)} AS "t${i}"`;
    if (a.fn === 'channels') return `${dialect.agg('bit_or', '"channel_bit"', c)} AS "t${i}"`;
    if (a.fn === 'rows') return `${dialect.agg('count', '*', c)} AS "t${i}"`;
    return `${dialect.agg('sum', `"v${i}"`, c)} AS "t${i}"`;
  });
  const touchColumns = [...touchSlots.values()].map((i) => `"t${i}"`);
  const perHcp = unique.map(([a, i]) => {
    const t = `"t${touchSlotOf[i]}"`;
    if (a.fn === 'touches') return `${dialect.agg('count', '*', t)} AS "f${i}"`;
    if (a.fn === 'entities') return `${dialect.agg('bool_or', t)} AS "f${i}"`;
    if (a.fn === 'channels') return `${dialect.agg('bit_or', t)} AS "f${i}"`;
    return `sum(${t}) AS "f${i}"`;
  });
  const eGroup = eDims.length > 0 ? `, ${groupingSets(dialect, [], eDims, eSets, eCol)}` : '';
  const eSelect = eDims.length > 0 ? `${dialect.grouping(eDims.map(eCol))} AS "egid"${eDims.map((d) => `, ${eCol(d)}`).join('')}` : '0 AS "egid"';
  const perHcpFromRows = () => unique.map(([a, i]) => {
    const c = conditionOf[i]!;
    if (a.fn === 'touches') throw new Error('touches need a touch column');
    if (a.fn === 'entities') return `${dialect.agg('bool_or', c)} AS "f${i}"`;
    if (a.fn === 'channels') return `${dialect.agg('bit_or', '"channel_bit"', c)} AS "f${i}"`;
    if (a.fn === 'rows') return `${dialect.agg('count', '*', c)} AS "f${i}"`;
    return `${dialect.agg('sum', `"v${i}"`, c)} AS "f${i}"`;
  });
  // Without touches, rows are grouped per HCP directly.
  const ctes = rel.spec.touch ? [
    rowsCte,
    ...touchLevels(dialect, { source: 'scanned', name: 'touches', keys: ['"period"', '"entity"'], touch: '"touch"', eDims, eSets, aggregates: perTouch, columns: touchColumns }),
    `per AS (
  SELECT "period", "entity", "egid"${eDims.map((d) => `, ${eCol(d)}`).join('')}, ${perHcp.join(', ')}
  FROM touches GROUP BY "period", "entity", "egid"${eDims.map((d) => `, ${eCol(d)}`).join('')})`,
  ] : [
    rowsCte,
    `per AS (
  SELECT "period", "entity", ${eSelect}, ${perHcpFromRows().join(', ')}
  FROM scanned GROUP BY "period", "entity"${eGroup})`,
  ];
  const outer = Object.fromEntries(aggregates.filter((a) => !a.column.endsWith('#within')).map((a) => {
    const k = aggregates.indexOf(a);
    const i = slotOf[k]!;
    const w = a.within ? ` AND per."f${slotOf[withinOf(a)]!}"` : '';
    return [a.column,
      a.fn === 'entities' ? dialect.agg('count', '*', `per."f${i}"${w}`)
        : a.fn === 'channels' ? dialect.agg('count', '*', `${dialect.bitCount(`per."f${i}"`, model.channels.length)} >= ${params.bind(a.minChannels!, 'integer')}${w}`)
          : `coalesce(sum(per."f${i}"), 0)`];
  }));
  const description = `per ${grain}, one pass over ${first.source} for ${kpiCount(aggregates)} (${rel.spec.touch ? 'per touch, then ' : ''}per ${model.words.one})`;
  return slicedQuery(ctx, rel, { id, description, params, ctes, aggregates: outer });
}

/** Fuses the requests on one source and grain into one query: one scan, one aggregate per component. */
export function fuseScans(model: Model, dialect: Dialect, requests: readonly ScanRequest[]): PlannedQuery {
  const first = requests[0]!;
  const spec = model.sources[first.source]!;
  const aggregates = requests.flatMap((r) => r.aggregates);
  const perEntity = spec.time && first.source !== model.entity.source && aggregates.every((a) => a.fn !== 'histogram')
    && aggregates.some((a) => a.fn === 'touches' || a.fn === 'entities' || a.fn === 'channels')
    && entityColumn(model, first.source) !== undefined;
  if (perEntity) return perEntityScan(model, dialect, requests, scanId(first.source, requests[0]!.periods));
  const rel = new Relation(model, dialect, first.source);
  const params = new Parameters(dialect);
  const periods = requests.flatMap((r) => r.periods ?? []);
  const grain = periods[0]?.grain;
  const sets = new Map(requests.flatMap((r) => r.sets).map((s) => [s.join(','), s]));
  const dims = unionDims([...sets.values()]);
  const aggregateSqls = aggregates.map((a) => aggregateSql(rel, a, params));
  const always: string[] = [];
  const select: string[] = [];
  const where: string[] = [];
  if (grain) {
    const time = rel.own(rel.spec.time!);
    const start = periodStartOf(rel, params, periods);
    always.push(start);
    select.push(`${dialect.epochMs(start)} AS "period"`);
    const from = new Date(Math.min(...periods.map((p) => p.start.getTime())));
    const to = new Date(Math.max(...periods.map((p) => p.end.getTime())));
    where.push(`${time} >= ${params.bind(from.toISOString(), 'timestamp')}`, `${time} < ${params.bind(to.toISOString(), 'timestamp')}`);
  }
  const grouping = groupingSql(dialect, dims, [...sets.values()], (d) => rel.column(d).sql, always);
  const sql = [
    `SELECT ${[...select, ...grouping.select, ...aggregateSqls].join(',\n  ')}`,
    `FROM ${rel.from()}`,
    ...(where.length > 0 ? [`WHERE ${where.join(' AND ')}`] : []),
    `GROUP BY ${grouping.groupBy}`,
  ].join('\n');
  return {
    id: scanId(first.source, first.periods),
    description: `${grain ? `per ${grain}, ` : ''}one pass over ${first.source} for ${kpiCount(aggregates)}`,
    sql,
    params: params.values,
    dims,
    feeds: requests.flatMap((r) => r.aggregates.map((a) => a.column)),
    // Counts of rows, exact sums and distinct HCPs or (HCP, touch) pairs add up over HCPs;
    // the table's rows join only its HCP's row (and `followed_by`, the same HCP's rows).
    ...(entityColumn(model, first.source) !== undefined && aggregates.every((a) => a.fn !== 'histogram') ? { byHcp: true as const } : {}),
  };
}
