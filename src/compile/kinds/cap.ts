import { entityColumn } from '../../model/model.js';
import type { MeasureOf } from '../../model/measure.js';
import { engaged, received } from '../channels-sql.js';
import type { KindContext, KindOutput } from '../context.js';
import { Parameters } from '../filter.js';
import { eventColumn, eventDims, perEntityGrouping, slicedQuery } from '../per-entity.js';
import { componentRef } from '../plan.js';
import { Relation } from '../relation.js';
import { periodStartOf, timeWindow } from '../time-sql.js';

/**
 * Over-contact: reached HCPs (engaged in the period) who received more push touches in
 * some cap window (ISO week or month) than allowed. A touch is received in a window when
 * one of its channel's `received_events` falls in it (any event, for a channel that
 * declares none): a bounced email is not a contact. With the KPI's `max`, touches of all
 * push channels count together in the KPI's window; otherwise each capped channel counts
 * on its own against its own cap and window. Only touches of the period count, so a week
 * that straddles the period's start or end counts its days inside the period.
 */
export function cap(ctx: KindContext, m: MeasureOf<'cap'>): KindOutput<'cap'> {
  const { dialect, model } = ctx;
  const params = new Parameters(dialect);
  const rel = new Relation(model, dialect, m.source);
  const grain = ctx.periods[0]!.grain;
  const entity = rel.own(entityColumn(model, m.source)!);
  const touch = rel.own(rel.spec.touch!);
  const channel = rel.own(rel.spec.channel!);
  const time = rel.own(rel.spec.time!);
  const push = model.channels.filter((c) => c.direction === 'push' && (m.max !== undefined || c.cap));
  const capped = m.max !== undefined ? undefined : push;
  const windowOf = (per: 'week' | 'month') => dialect.truncate(per, time);
  const windowSql = capped
    ? `CASE ${channel} ${capped.map((c) => `WHEN ${params.bind(c.id, 'string')} THEN ${windowOf(c.cap!.per)}`).join(' ')} END`
    : windowOf(m.per);
  const limit = capped
    ? `CASE "channel" ${capped.map((c) => `WHEN ${params.bind(c.id, 'string')} THEN ${params.bind(c.cap!.max, 'integer')}`).join(' ')} END`
    : params.bind(m.max!, 'integer');
  const start = periodStartOf(rel, params, ctx.periods);
  const eDims = eventDims(ctx, rel);
  const eCol = (d: string) => dialect.ident(eventColumn(d));
  const per = perEntityGrouping(ctx, rel, eCol);
  const eCols = per.dims.map(eCol);
  const conditions = [timeWindow(rel, params, ctx.periods[0]!.start, ctx.periods.at(-1)!.end), rel.population(m.population, params)];
  // Reached HCPs and over-contacted HCPs are found in two separate groupings of the same
  // rows (engaged events per HCP; push touches per HCP, channel and cap window), which is
  // much cheaper than one grouping computing both; then each reached HCP looks up whether
  // it was over-contacted.
  const sameGroup = ['"period"', '"entity"', '"egid"', ...eCols].map((c) => dialect.distinct(`o.${c}`, `r.${c}`, true)).join(' AND ');
  const ctes = [
    `scanned AS (
  SELECT ${dialect.epochMs(start)} AS "period", ${entity} AS "entity"${eDims.map((d) => `, ${rel.own(d)} AS ${eCol(d)}`).join('')},
    ${touch} AS "touch", ${capped ? channel : 'NULL'} AS "channel", ${windowSql} AS "window",
    ${received(rel, params, push.map((c) => c.id))} AS "push", ${engaged(rel, params)} AS "engaged"
  FROM ${rel.from()}
  WHERE ${conditions.join(' AND ')})`,
    `reached AS (
  SELECT "period", "entity", ${per.select.join(', ')}
  FROM scanned WHERE "engaged" GROUP BY ${per.groupBy(['"period"', '"entity"'])})`,
    // Only a window with more push events than its cap can have more push touches than it
    // (an HCP's events across brands bound those of each brand), so touches are told apart
    // only in those windows.
    `busy AS (
  SELECT "period", "entity", "channel", "window" FROM scanned WHERE "push"
  GROUP BY "period", "entity", "channel", "window" HAVING count(*) > ${limit})`,
    `capped AS (
  SELECT DISTINCT "period", "entity", "egid"${eCols.map((c) => `, ${c}`).join('')} FROM (
    SELECT "period", "entity", ${per.select.join(', ')}, "channel", count(DISTINCT "touch") AS "pushed"
    FROM (SELECT r.* FROM scanned AS r JOIN busy AS b ON ${['"period"', '"entity"', '"channel"', '"window"'].map((c) => dialect.distinct(`b.${c}`, `r.${c}`, true)).join(' AND ')} WHERE r."push") AS pushes
    GROUP BY ${per.groupBy(['"period"', '"entity"', '"channel"', '"window"'])}) AS pushed
  WHERE "pushed" > ${limit})`,
    `per AS (
  SELECT r.*, TRUE AS "reached", o."entity" IS NOT NULL AS "over"
  FROM reached AS r LEFT JOIN capped AS o ON ${sameGroup})`,
  ];
  const id = `${ctx.kpi.id}:contacts`;
  const reached = componentRef(ctx.kpi.id, 'reached', id, []);
  const over = componentRef(ctx.kpi.id, 'over_contacted', id, []);
  const query = slicedQuery(ctx, rel, {
    id, description: `push touches per ${ctx.model.words.one} and ${m.max !== undefined ? m.per : 'channel cap window'}, per ${grain}`, params, ctes,
    aggregates: { [reached.column]: dialect.agg('count', '*', 'per."reached"'), [over.column]: dialect.agg('count', '*', 'per."reached" AND per."over"') },
  });
  ctx.queries.push(query);
  return {
    components: { reached: { ...reached, dims: query.dims }, over_contacted: { ...over, dims: query.dims } },
    settings: m.max !== undefined ? { max: m.max, per: m.per } : { caps: Object.fromEntries(push.map((c) => [c.id, c.cap])) },
  };
}

