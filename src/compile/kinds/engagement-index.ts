import { entityColumn } from '../../model/model.js';
import { minusDuration } from '../../model/duration.js';
import type { MeasureOf } from '../../model/measure.js';
import { engaged, weight } from '../channels-sql.js';
import { populationComponent, type KindContext, type KindOutput } from '../context.js';
import { Parameters } from '../filter.js';
import { eventColumn, perEntityGrouping, periodValues, slicedQuery, touchLevels } from '../per-entity.js';
import { columnName, componentRef } from '../plan.js';
import { groupingSets, projectSets } from '../grouping.js';
import { Relation } from '../relation.js';
import { timeWindow } from '../time-sql.js';

/**
 * Customer engagement index per ${ctx.model.words.one} over the trailing months that end with each period:
 * breadth = distinct channels engaged ÷ channels defined; depth = min(1, engagement points
 * ÷ depth_cap), points being Σ channel weight × engaged touches; consistency = calendar
 * months with an engagement ÷ trailing months (at most 1). The slice value is the mean over
 * the population, an HCP without engagement scoring 0, so the query returns sums.
 */
export function engagementIndex(ctx: KindContext, m: MeasureOf<'index'>): KindOutput<'index'> {
  const { dialect, model } = ctx;
  const params = new Parameters(dialect);
  const rel = new Relation(model, dialect, m.source);
  const months = m.trailingMonths;
  const w = m.weights;
  const entity = rel.own(entityColumn(model, m.source)!);
  const time = rel.own(rel.spec.time!);
  const windowStart = (p: { end: Date }) => minusDuration(p.end, `P${months}M`).toISOString();
  const per = perEntityGrouping(ctx, rel);
  const eCols = per.dims.map((d) => `, "${eventColumn(d)}"`).join('');
  const oldest = new Date(windowStart(ctx.periods[0]!));
  const conditions = [timeWindow(rel, params, oldest, ctx.periods.at(-1)!.end), rel.population(m.population, params), engaged(rel, params)];
  const p = (v: number) => params.bind(v, 'number');
  const monthsSpan = monthIndex(oldest, ctx.periods.at(-1)!.end);
  const ctes = ctx.periods[0]!.grain !== 'week' && monthsSpan <= 62
    ? monthBitsCtes(ctx, rel, params, { entity, time, oldest, months, conditions, per: per.dims, p, w, depthCap: m.depthCap })
    : dayCtes();
  function dayCtes(): string[] {
    const periods = periodValues(dialect, params, ctx.periods, { from: [windowStart, 'timestamp'] });
    // Weekly windows start on a Monday, so engagement is kept per day; month and quarter
    // windows (this path when their span is too long for bits) per month. Either way a
    // bucket is wholly inside or outside a window.
    const bucket = dialect.truncate(ctx.periods[0]!.grain === 'week' ? 'day' : 'month', time);
    const tCol = (d: string) => `t."${eventColumn(d)}"`;
    const ctes = [
      `touches AS (
    SELECT ${entity} AS "entity"${per.dims.map((d) => `, ${rel.own(d)} AS "${eventColumn(d)}"`).join('')}, ${rel.own(rel.spec.channel!)} AS "channel",
      ${rel.own(rel.spec.touch!)} AS "touch", ${bucket} AS "bucket", ${dialect.agg('any', weight(rel, params))} AS "weight"
    FROM ${rel.from()}
    WHERE ${conditions.join(' AND ')}
    GROUP BY ${[entity, ...per.dims.map((d) => rel.own(d)), rel.own(rel.spec.channel!), rel.own(rel.spec.touch!), bucket].join(', ')})`,
      `in_window AS (
    SELECT p."period", t."entity", ${per.dims.length > 0 ? dialect.grouping(per.dims.map(tCol)) : '0'} AS "egid"${per.dims.map((d) => `, ${tCol(d)}`).join('')},
      t."channel", ${dialect.agg('any', 't."weight"')} AS "weight", ${dialect.agg('bit_or', dialect.bit(dialect.monthsBetween('p."from"', 't."bucket"')))} AS "months"
    FROM touches AS t JOIN ${periods} ON t."bucket" >= p."from" AND t."bucket" < p."end"
    GROUP BY ${groupingSets(dialect, ['p."period"', 't."entity"', 't."channel"', 't."touch"'], per.dims, projectSets(ctx.sets, (d) => per.dims.includes(d)), tCol)})`,
      `channels AS (
    SELECT "period", "entity", "egid"${eCols}, "channel", ${dialect.agg('any', '"weight"')} AS "weight", count(*) AS "touches", ${dialect.agg('bit_or', '"months"')} AS "months"
    FROM in_window GROUP BY "period", "entity", "egid"${eCols}, "channel")`,
      `hcp AS (
    SELECT "period", "entity", "egid"${eCols}, count(*) / ${p(model.channels.length)} AS "breadth",
      least(1.0, sum(${dialect.exact('"weight" * "touches"')}) / ${p(m.depthCap)}) AS "depth",
      least(1.0, ${dialect.bitCount(dialect.agg('bit_or', '"months"'), monthsSpan + 1)} / ${p(months)}) AS "consistency"
    FROM channels GROUP BY "period", "entity", "egid"${eCols})`,
      `per AS (SELECT *, 100 * (${p(w.breadth)} * "breadth" + ${p(w.depth)} * "depth" + ${p(w.consistency)} * "consistency") AS "cei" FROM hcp)`,
    ];
    return ctes;
  }
  const column = (c: string) => columnName(ctx.kpi.id, c);
  const id = `${ctx.kpi.id}:index`;
  const sums = ['cei', 'breadth', 'depth', 'consistency'] as const;
  const query = slicedQuery(ctx, rel, {
    id, description: `engagement index per ${ctx.model.words.one} over the trailing ${months} months of each ${ctx.periods[0]!.grain}`, params, ctes,
    aggregates: Object.fromEntries(sums.map((s) => [column(`sum_${s}`), `sum(${dialect.exact(`per."${s}"`)})`])),
  });
  ctx.queries.push(query);
  const ref = (c: string) => componentRef(ctx.kpi.id, c, id, query.dims);
  return {
    components: {
      sum_cei: ref('sum_cei'), sum_breadth: ref('sum_breadth'), sum_depth: ref('sum_depth'), sum_consistency: ref('sum_consistency'),
      population: populationComponent(ctx, m.population),
    },
    settings: { trailing_months: months, depth_cap: m.depthCap, weights: w, channels: model.channels.length },
  };
}

/** Whole months from the month of `from` to the month of `to`. */
function monthIndex(from: Date, to: Date): number {
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
}

interface BitsInput {
  entity: string;
  time: string;
  oldest: Date;
  months: number;
  conditions: string[];
  per: string[];
  p: (v: number) => string;
  w: { breadth: number; depth: number; consistency: number };
  depthCap: number;
}

/**
 * For month and quarter reports every window is a run of whole months, so each engaged
 * touch keeps its months as bits (month i of the span = bit i) and each period's window is
 * a bit mask: a touch counts in a window when the bits meet, a channel is engaged when any
 * of its touches count, and the engaged months are the window's bits that are set. One
 * grouping per touch and one per HCP serve all trend periods at once.
 */
function monthBitsCtes(ctx: KindContext, rel: Relation, params: Parameters, x: BitsInput): string[] {
  const { dialect, model } = ctx;
  const { ident } = dialect;
  const masks = ctx.periods.map((period) => {
    const hi = monthIndex(x.oldest, period.end);
    return (2n ** BigInt(hi) - 2n ** BigInt(hi - x.months)).toString();
  });
  const big = dialect.type('integer');
  const mask = (i: number) => `CAST(${params.bind(masks[i]!, 'string')} AS ${big})`;
  const base = params.bind(x.oldest.toISOString(), 'timestamp');
  const eCol = (d: string) => ident(eventColumn(d));
  const eSets = projectSets(ctx.sets, (d) => x.per.includes(d));
  const channel = rel.own(rel.spec.channel!);
  const touch = rel.own(rel.spec.touch!);
  const perChannel = model.channels.map((c, i) => `${dialect.agg('bit_or', '"months"', `"channel" = ${params.bind(c.id, 'string')}`)} AS "m${i}"`);
  const perPeriod = ctx.periods.map((_q, i) => `${dialect.agg('sum', dialect.exact('"weight"'), `${dialect.bitAnd('"months"', mask(i))} <> 0`)} AS "w${i}"`);
  const periodCase = (column: (i: number) => string) => `CASE p."idx" ${ctx.periods.map((_q, i) => `WHEN ${i} THEN ${column(i)}`).join(' ')} END`;
  const any = model.channels.map((_c, i) => `COALESCE("m${i}", 0)`).reduce((a, b) => dialect.bitOr(a, b));
  const breadth = model.channels.map((_c, i) => `CASE WHEN ${dialect.bitAnd(`COALESCE("m${i}", 0)`, 'p."mask"')} <> 0 THEN 1 ELSE 0 END`).join(' + ');
  const periods = dialect.valuesTable(ctx.periods.map((q, i) => [`CAST(${params.bind(q.start.getTime(), 'integer')} AS ${big})`, params.bind(i, 'integer'), mask(i)]), ['period', 'idx', 'mask'], 'p');
  return [
    // Not materialized: read again only for touches spanning brands (see touchLevels).
    `touches AS ${x.per.length > 0 && dialect.capabilities.notMaterialized ? 'NOT MATERIALIZED ' : ''}(
  SELECT ${x.entity} AS "entity"${x.per.map((d) => `, ${rel.own(d)} AS ${eCol(d)}`).join('')}, ${channel} AS "channel", ${touch} AS "touch",
    ${weight(rel, params)} AS "weight", ${dialect.bit(dialect.monthsBetween(base, x.time))} AS "bit"
  FROM ${rel.from()}
  WHERE ${x.conditions.join(' AND ')})`,
    ...touchLevels(dialect, {
      source: 'touches', name: 'touch_months', keys: ['"entity"', '"channel"'], touch: '"touch"', eDims: x.per, eSets,
      aggregates: [`${dialect.agg('any', '"weight"')} AS "weight"`, `${dialect.agg('bit_or', '"bit"')} AS "months"`], columns: ['"weight"', '"months"'],
    }),
    `hcp AS (
  SELECT "entity", "egid"${x.per.map((d) => `, ${eCol(d)}`).join('')}, ${[...perChannel, ...perPeriod].join(', ')}
  FROM touch_months GROUP BY "entity", "egid"${x.per.map((d) => `, ${eCol(d)}`).join('')})`,
    `scored AS (
  SELECT p."period", hcp."entity", hcp."egid"${x.per.map((d) => `, hcp.${eCol(d)}`).join('')},
    (${breadth}) / ${x.p(model.channels.length)} AS "breadth",
    least(1.0, COALESCE(${periodCase((i) => `"w${i}"`)}, 0) / ${x.p(x.depthCap)}) AS "depth",
    least(1.0, ${dialect.bitCount(dialect.bitAnd(any, 'p."mask"'), monthIndex(x.oldest, ctx.periods.at(-1)!.end))} / ${x.p(x.months)}) AS "consistency"
  FROM hcp CROSS JOIN ${periods}
  WHERE ${dialect.bitAnd(any, 'p."mask"')} <> 0)`,
    `per AS (SELECT *, 100 * (${x.p(x.w.breadth)} * "breadth" + ${x.p(x.w.depth)} * "depth" + ${x.p(x.w.consistency)} * "consistency") AS "cei" FROM scored)`,
  ];
}
