import { entityColumn } from '../../model/model.js';
import { minusDuration } from '../../model/duration.js';
import { shift } from '../../model/period.js';
import type { MeasureOf } from '../../model/measure.js';
import { human, stageIndex } from '../channels-sql.js';
import { populationComponent, type KindContext, type KindOutput } from '../context.js';
import { Parameters } from '../filter.js';
import { eventColumn, perEntityGrouping, periodValues, rollUp, slicedQuery } from '../per-entity.js';
import { columnName, componentRef } from '../plan.js';
import { groupingSets, projectSets } from '../grouping.js';
import { Relation } from '../relation.js';
import { timeWindow } from '../time-sql.js';

/**
 * Journey stage distribution: each HCP's stage is the furthest stage any of its events in
 * the trailing window maps to (through the channels' `stage_map`; automated events do not
 * count). The period before the trend window is evaluated too, so every period knows who
 * moved up a stage (from no stage counts as moving up).
 */
export function stageDistribution(ctx: KindContext, m: MeasureOf<'stage'>): KindOutput<'stage'> {
  const { dialect, model } = ctx;
  const params = new Parameters(dialect);
  const rel = new Relation(model, dialect, m.source);
  const months = m.trailingMonths;
  const entity = rel.own(entityColumn(model, m.source)!);
  const time = rel.own(rel.spec.time!);
  const all = [shift(ctx.periods[0]!, 1, model.calendar), ...ctx.periods];
  const windowStart = (p: { end: Date }) => minusDuration(p.end, `P${months}M`).toISOString();
  const per = perEntityGrouping(ctx, rel);
  const eCols = per.dims.map((d) => `"${eventColumn(d)}"`);
  const conditions = [timeWindow(rel, params, new Date(windowStart(all[0]!)), all.at(-1)!.end), rel.population(m.population, params), human(rel)];
  const stage = stageIndex(rel, params);
  const oldest = new Date(windowStart(all[0]!));
  const span = (to: Date) => (to.getUTCFullYear() - oldest.getUTCFullYear()) * 12 + to.getUTCMonth() - oldest.getUTCMonth();
  const ctes = ctx.periods[0]!.grain !== 'week' && span(all.at(-1)!.end) <= 62
    ? monthBits()
    : dayBuckets();
  /** Month and quarter windows are runs of months: per HCP, the months each stage was shown, as bits. */
  function monthBits(): string[] {
    const { ident } = dialect;
    const mask = (p: { end: Date }) => (2n ** BigInt(span(p.end)) - 2n ** BigInt(span(p.end) - months)).toString();
    const eCol = (d: string) => ident(eventColumn(d));
    const eSets = projectSets(ctx.sets, (d) => per.dims.includes(d));
    const big = dialect.type('integer');
    const stageBits = model.stages.map((_s, i) => `${dialect.agg('bit_or', '"bit"', `"stage" = ${params.bind(i, 'integer')}`)} AS "s${i}"`);
    const furthest = (column: string) => `CASE ${model.stages.map((_s, i) => model.stages.length - 1 - i).map((i) => `WHEN ${dialect.bitAnd(`COALESCE(hcp."s${i}", 0)`, `p.${column}`)} <> 0 THEN ${i}`).join(' ')} ELSE -1 END`;
    const periods = dialect.valuesTable(ctx.periods.map((q, i) => [`CAST(${params.bind(q.start.getTime(), 'integer')} AS ${big})`, `CAST(${params.bind(mask(q), 'string')} AS ${big})`, `CAST(${params.bind(mask(all[i]!), 'string')} AS ${big})`]), ['period', 'mask', 'before'], 'p');
    return [
      `marks AS (
  SELECT ${entity} AS "entity"${per.dims.map((d) => `, ${rel.own(d)} AS ${eCol(d)}`).join('')}, ${stage} AS "stage",
    ${dialect.bit(dialect.monthsBetween(params.bind(oldest.toISOString(), 'timestamp'), time))} AS "bit"
  FROM ${rel.from()}
  WHERE ${conditions.join(' AND ')})`,
      // Grouped once by every event-level dimension; coarser combinations join the bit sets.
      `hcp_all AS (
  SELECT "entity"${per.dims.map((d) => `, ${eCol(d)}`).join('')}, ${stageBits.join(', ')}
  FROM marks WHERE "stage" >= 0 GROUP BY "entity"${per.dims.map((d) => `, ${eCol(d)}`).join('')})`,
      `hcp AS (
  ${rollUp(dialect, { source: 'hcp_all', keys: ['"entity"'], eDims: per.dims, eSets, columns: model.stages.map((_s, i) => ({ name: `s${i}`, fn: 'bit_or' as const })) })})`,
      `staged AS (
  SELECT p."period", hcp."entity", hcp."egid"${per.dims.map((d) => `, hcp.${eCol(d)}`).join('')}, ${furthest('"mask"')} AS "stage", ${furthest('"before"')} AS "before"
  FROM hcp CROSS JOIN ${periods})`,
      `per AS (SELECT *, "stage" > "before" AS "moved_up" FROM staged WHERE "stage" >= 0)`,
    ];
  }
  function dayBuckets(): string[] {
    const periods = periodValues(dialect, params, all, { from: [windowStart, 'timestamp'], idx: [(_p, i) => i, 'integer'] });
    const bucket = dialect.truncate(ctx.periods[0]!.grain === 'week' ? 'day' : 'month', time);
    const bCol = (d: string) => `b.${dialect.ident(eventColumn(d))}`;
    return [
      `buckets AS (
    SELECT ${entity} AS "entity"${per.dims.map((d) => `, ${rel.own(d)} AS ${dialect.ident(eventColumn(d))}`).join('')}, ${bucket} AS "bucket", max(${stage}) AS "stage"
    FROM ${rel.from()}
    WHERE ${conditions.join(' AND ')} AND ${stage} >= 0
    GROUP BY ${[entity, ...per.dims.map((d) => rel.own(d)), bucket].join(', ')})`,
      `staged AS (
    SELECT p."period", CAST(p."idx" AS ${dialect.type('integer')}) AS "idx", b."entity", ${per.dims.length > 0 ? dialect.grouping(per.dims.map(bCol)) : '0'} AS "egid"${per.dims.map((d) => `, ${bCol(d)}`).join('')}, max(b."stage") AS "stage"
    FROM buckets AS b JOIN ${periods} ON b."bucket" >= p."from" AND b."bucket" < p."end"
    GROUP BY ${groupingSets(dialect, ['p."period"', 'p."idx"', 'b."entity"'], per.dims, projectSets(ctx.sets, (d) => per.dims.includes(d)), bCol)})`,
      `per AS (
    SELECT cur.*, cur."stage" > COALESCE(prev."stage", -1) AS "moved_up"
    FROM staged AS cur LEFT JOIN staged AS prev ON prev."entity" = cur."entity" AND prev."egid" = cur."egid" AND prev."idx" = cur."idx" - 1${eCols.map((c) => ` AND ${dialect.distinct(`prev.${c}`, `cur.${c}`, true)}`).join('')}
    WHERE cur."idx" > 0)`,
    ];
  }
  const column = (c: string) => columnName(ctx.kpi.id, c);
  const aggregates: Record<string, string> = Object.fromEntries(model.stages.map((s, i) => [column(`at_${s}`), dialect.agg('count', '*', `per."stage" = ${params.bind(i, 'integer')}`)]));
  aggregates[column('moved_up')] = dialect.agg('count', '*', 'per."moved_up"');
  const id = `${ctx.kpi.id}:stages`;
  const query = slicedQuery(ctx, rel, { id, description: `furthest journey stage per ${ctx.model.words.one} over the trailing ${months} months`, params, ctes, aggregates });
  ctx.queries.push(query);
  const ref = (c: string) => componentRef(ctx.kpi.id, c, id, query.dims);
  const components = { ...Object.fromEntries(model.stages.map((s) => [`at_${s}`, ref(`at_${s}`)])), moved_up: ref('moved_up') };
  return { components: { ...components, population: populationComponent(ctx, m.population) }, settings: { stages: model.stages, trailing_months: months } };
}
