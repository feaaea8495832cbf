import { entityColumn } from '../../model/model.js';
import { minusDuration } from '../../model/period.js';
import type { MeasureSpec } from '../../spec/measure.js';
import { engaged, weight } from '../channels-sql.js';
import { populationComponent, type KindContext, type KindOutput } from '../context.js';
import { Parameters } from '../filter.js';
import { eventColumn, perEntityGrouping, periodValues, slicedQuery } from '../per-entity.js';
import { columnName } from '../plan.js';
import { projectSets } from '../grouping.js';
import { Relation } from '../relation.js';
import { timeWindow } from '../time-sql.js';

/**
 * Customer engagement index per HCP over the trailing months that end with each period:
 * breadth = distinct channels engaged ÷ channels defined; depth = min(1, engagement points
 * ÷ depth_cap), points being Σ channel weight × engaged touches; consistency = calendar
 * months with an engagement ÷ trailing months (at most 1). The slice value is the mean over
 * the population, an HCP without engagement scoring 0, so the query returns sums.
 */
export function engagementIndex(ctx: KindContext, m: Extract<MeasureSpec, { kind: 'index' }>): KindOutput {
  const { dialect, model } = ctx;
  const params = new Parameters(dialect);
  const rel = new Relation(model, dialect, m.source);
  const months = m.trailing_months ?? 6;
  const w = m.weights ?? { breadth: 1 / 3, depth: 1 / 3, consistency: 1 / 3 };
  const entity = rel.own(entityColumn(model, m.source)!);
  const time = rel.own(rel.spec.time!);
  const windowStart = (p: { end: Date }) => minusDuration(p.end, `P${months}M`).toISOString();
  const periods = periodValues(params, ctx.periods, { from: [windowStart, 'timestamp'] });
  const per = perEntityGrouping(ctx, rel);
  const eCols = per.dims.map((d) => `, "${eventColumn(d)}"`).join('');
  const oldest = new Date(windowStart(ctx.periods[0]!));
  const conditions = [timeWindow(rel, params, oldest, ctx.periods.at(-1)!.end), rel.population(m.population, params), engaged(rel, params)];
  const p = (v: number) => params.bind(v, 'number');
  // Windows of month and quarter reports start on a month, so engagement is kept per month;
  // weekly windows start on a Monday, so per day. Either way a bucket is inside or outside a window.
  const bucket = `date_trunc('${ctx.periods[0]!.grain === 'week' ? 'day' : 'month'}', ${time})`;
  const ctes = [
    `touches AS (
  SELECT ${entity} AS "entity"${per.dims.map((d) => `, ${rel.own(d)} AS "${eventColumn(d)}"`).join('')}, ${rel.own(rel.spec.channel!)} AS "channel",
    ${rel.own(rel.spec.touch!)} AS "touch", ${bucket} AS "bucket", any_value(${weight(rel, params)}) AS "weight"
  FROM ${rel.from()}
  WHERE ${conditions.join(' AND ')}
  GROUP BY ALL)`,
    `in_window AS (
  SELECT p."period", t."entity", ${per.dims.length > 0 ? `GROUPING(${per.dims.map((d) => `t."${eventColumn(d)}"`).join(', ')})` : '0'} AS "egid"${per.dims.map((d) => `, t."${eventColumn(d)}"`).join('')},
    t."channel", any_value(t."weight") AS "weight", bit_or(CAST(1 AS BIGINT) << date_diff('month', p."from", t."bucket")) AS "months"
  FROM touches AS t JOIN ${periods} ON t."bucket" >= p."from" AND t."bucket" < p."end"
  GROUP BY p."period", t."entity", t."channel", t."touch", GROUPING SETS (${projectSets(ctx.sets, (d) => per.dims.includes(d)).map((set) => `(${set.map((d) => `t."${eventColumn(d)}"`).join(', ')})`).join(', ')}))`,
    `channels AS (
  SELECT "period", "entity", "egid"${eCols}, "channel", any_value("weight") AS "weight", count(*) AS "touches", bit_or("months") AS "months"
  FROM in_window GROUP BY "period", "entity", "egid"${eCols}, "channel")`,
    `hcp AS (
  SELECT "period", "entity", "egid"${eCols}, count(*) / ${p(model.channels.length)} AS "breadth",
    least(1.0, sum("weight" * "touches") / ${p(m.depth_cap)}) AS "depth",
    least(1.0, ${dialect.bitCount('bit_or("months")')} / ${p(months)}) AS "consistency"
  FROM channels GROUP BY "period", "entity", "egid"${eCols})`,
    `per AS (SELECT *, 100 * (${p(w.breadth)} * "breadth" + ${p(w.depth)} * "depth" + ${p(w.consistency)} * "consistency") AS "cei" FROM hcp)`,
  ];
  const column = (c: string) => columnName(ctx.kpi.id, c);
  const id = `${ctx.kpi.id}:index`;
  const sums = ['cei', 'breadth', 'depth', 'consistency'];
  const query = slicedQuery(ctx, rel, {
    id, description: `engagement index per HCP over the trailing ${months} months of each ${ctx.periods[0]!.grain}`, params, ctes,
    aggregates: Object.fromEntries(sums.map((s) => [column(`sum_${s}`), `sum(per."${s}")`])),
  });
  ctx.queries.push(query);
  return {
    components: {
      ...Object.fromEntries(sums.map((s) => [`sum_${s}`, { query: id, column: column(`sum_${s}`), dims: query.dims }])),
      population: populationComponent(ctx, m.population),
    },
    settings: { trailing_months: months, depth_cap: m.depth_cap, weights: w, channels: model.channels.length },
  };
}
