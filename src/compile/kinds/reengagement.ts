import { entityColumn } from '../../model/model.js';
import { minusDuration } from '../../model/duration.js';
import type { MeasureOf } from '../../model/measure.js';
import { engaged } from '../channels-sql.js';
import type { KindContext, KindOutput } from '../context.js';
import { Parameters } from '../filter.js';
import { eventColumn, perEntityGrouping, periodValues, rollUp, slicedQuery } from '../per-entity.js';
import { componentRef } from '../plan.js';
import { Relation } from '../relation.js';
import { projectSets } from '../grouping.js';

/**
 * Re-engagement: of the HCPs whose last engagement before the period start is older than
 * the lookback (lapsed), those who engage in the period. One grouping per HCP keeps its
 * last engagement before every period boundary; each period then reads the two of its own.
 */
export function reengagement(ctx: KindContext, m: MeasureOf<'reengagement'>): KindOutput<'reengagement'> {
  const { dialect, model } = ctx;
  const params = new Parameters(dialect);
  const rel = new Relation(model, dialect, m.source);
  const grain = ctx.periods[0]!.grain;
  const entity = rel.own(entityColumn(model, m.source)!);
  const time = rel.own(rel.spec.time!);
  const lookback = m.lookback;
  const per = perEntityGrouping(ctx, rel);
  const eCol = (d: string) => dialect.ident(eventColumn(d));
  const eSets = projectSets(ctx.sets, (d) => per.dims.includes(d));
  const conditions = [`${time} < ${params.bind(ctx.periods.at(-1)!.end.toISOString(), 'timestamp')}`, rel.population(m.population, params), engaged(rel, params)];
  // Every period start and end: each HCP's last engagement before each of them is one
  // aggregate of one grouping (consecutive periods share a boundary).
  const bounds = [...new Set(ctx.periods.flatMap((p) => [p.start.getTime(), p.end.getTime()]))].sort((x, y) => x - y);
  const bound = (t: number) => bounds.indexOf(t);
  const lastBefore = bounds.map((t, k) => `${dialect.agg('max', time, `${time} < ${params.bind(new Date(t).toISOString(), 'timestamp')}`)} AS "l${k}"`);
  const periods = periodValues(dialect, params, ctx.periods, {
    lapsed_before: [(p) => minusDuration(p.start, lookback).toISOString(), 'timestamp'], idx: [(_p, i) => i, 'integer'],
  });
  const at = (which: 'start' | 'end') => `CASE p."idx" ${ctx.periods.map((q, i) => `WHEN ${i} THEN "l${bound(q[which].getTime())}"`).join(' ')} END`;
  const ctes = [
    `lasts_all AS (
  SELECT ${entity} AS "entity"${per.dims.map((d) => `, ${rel.own(d)} AS ${eCol(d)}`).join('')}, ${lastBefore.join(', ')}
  FROM ${rel.from()}
  WHERE ${conditions.join(' AND ')}
  GROUP BY ${entity}${per.dims.map((d) => `, ${rel.own(d)}`).join('')})`,
    // Grouped once by every event-level dimension; coarser combinations take the latest of those.
    `lasts AS (
  ${rollUp(dialect, { source: 'lasts_all', keys: ['"entity"'], eDims: per.dims, eSets, columns: bounds.map((_t, k) => ({ name: `l${k}`, fn: 'max' as const })) })})`,
    // Lapsed at a period's start: the last engagement before it is older than the lookback
    // (an HCP never engaged is not lapsed); back: engaged before the period's end, so in it.
    `per AS (
  SELECT p."period", l."entity", l."egid"${per.dims.map((d) => `, l.${eCol(d)}`).join('')}, COALESCE(${at('end')} >= p."start", FALSE) AS "back"
  FROM lasts AS l CROSS JOIN ${periods}
  WHERE ${at('start')} < p."lapsed_before")`,
  ];
  const id = `${ctx.kpi.id}:lapsed`;
  const lapsed = componentRef(ctx.kpi.id, 'lapsed', id, []);
  const back = componentRef(ctx.kpi.id, 'reengaged', id, []);
  const query = slicedQuery(ctx, rel, {
    id, description: `${ctx.model.words.Many} lapsed for ${lookback} at each ${grain}'s start, and those who came back`, params, ctes,
    aggregates: { [lapsed.column]: 'count(*)', [back.column]: dialect.agg('count', '*', 'per."back"') },
  });
  ctx.queries.push(query);
  return {
    components: { lapsed: { ...lapsed, dims: query.dims }, reengaged: { ...back, dims: query.dims } },
    settings: { lookback },
  };
}
