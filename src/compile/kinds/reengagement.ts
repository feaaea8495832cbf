import { entityColumn } from '../../model/model.js';
import { minusDuration } from '../../model/period.js';
import type { MeasureSpec } from '../../spec/measure.js';
import { engaged } from '../channels-sql.js';
import type { KindContext, KindOutput } from '../context.js';
import { Parameters } from '../filter.js';
import { eventColumn, perEntityGrouping, periodValues, slicedQuery } from '../per-entity.js';
import { columnName } from '../plan.js';
import { Relation } from '../relation.js';
import { intervalText, periodStartOf } from '../time-sql.js';

/**
 * Re-engagement: of the HCPs whose last engagement before the period start is older than
 * the lookback (lapsed), those who engage in the period. Each HCP's engaged periods are
 * listed once; the gap between one engaged period and the next tells every period in
 * between whether the HCP was lapsed at its start, and whether it came back in it.
 */
export function reengagement(ctx: KindContext, m: Extract<MeasureSpec, { kind: 'reengagement' }>): KindOutput {
  const { dialect, model } = ctx;
  const params = new Parameters(dialect);
  const rel = new Relation(model, dialect, m.source);
  const grain = ctx.periods[0]!.grain;
  const entity = rel.own(entityColumn(model, m.source)!);
  const time = rel.own(rel.spec.time!);
  const lookback = m.lookback ?? 'P90D';
  const periods = periodValues(params, ctx.periods, { lapsed_before: [(p) => minusDuration(p.start, lookback).toISOString(), 'timestamp'] });
  const per = perEntityGrouping(ctx, rel);
  const eCols = per.dims.map((d) => `"${eventColumn(d)}"`);
  const start = periodStartOf(rel, params, grain);
  const conditions = [`${time} < ${params.bind(ctx.periods.at(-1)!.end.toISOString(), 'timestamp')}`, rel.population(m.population, params), engaged(rel, params)];
  const ctes = [
    `engaged AS (
  SELECT ${start} AS "bucket", ${entity} AS "entity", ${per.select.join(', ')}, max(${time}) AS "last"
  FROM ${rel.from()}
  WHERE ${conditions.join(' AND ')}
  GROUP BY ${start}, ${entity}, ${per.groupingSets})`,
    // Only a gap longer than the lookback can leave an HCP lapsed at some period start.
    `gaps AS (
  SELECT * FROM (
    SELECT *, lead("bucket") OVER (PARTITION BY "entity", "egid"${eCols.map((c) => `, ${c}`).join('')} ORDER BY "bucket") AS "next" FROM engaged)
  WHERE "next" IS NULL OR "next" > ${dialect.plusInterval('"last"', params.bind(intervalText(lookback), 'string'))})`,
    `per AS (
  SELECT p."period", gaps."entity", gaps."egid"${eCols.map((c) => `, gaps.${c}`).join('')}, COALESCE(gaps."next" = p."start", FALSE) AS "back"
  FROM gaps JOIN ${periods} ON p."start" > gaps."bucket" AND (gaps."next" IS NULL OR p."start" <= gaps."next") AND gaps."last" < p."lapsed_before")`,
  ];
  const lapsed = columnName(ctx.kpi.id, 'lapsed');
  const back = columnName(ctx.kpi.id, 'reengaged');
  const id = `${ctx.kpi.id}:lapsed`;
  const query = slicedQuery(ctx, rel, {
    id, description: `HCPs lapsed for ${lookback} at each ${grain}'s start, and those who came back`, params, ctes,
    aggregates: { [lapsed]: 'count(*)', [back]: 'count(*) FILTER (WHERE per."back")' },
  });
  ctx.queries.push(query);
  return {
    components: { lapsed: { query: id, column: lapsed, dims: query.dims }, reengaged: { query: id, column: back, dims: query.dims } },
    settings: { lookback },
  };
}
