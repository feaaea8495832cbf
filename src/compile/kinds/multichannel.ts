import type { Period } from '../../model/period.js';
import type { AggregateSpec } from '../../spec/measure.js';
import { channelBit, engaged } from '../channels-sql.js';
import type { KindContext } from '../context.js';
import { Parameters } from '../filter.js';
import { perEntityGrouping, slicedQuery } from '../per-entity.js';
import { columnName, type ComponentRef } from '../plan.js';
import { Relation } from '../relation.js';
import { periodStartOf, timeWindow } from '../time-sql.js';
import { entityColumn } from '../../model/model.js';

/** HCPs with matching events on at least `min_channels` distinct channels (channels combine as bit sets per HCP). */
export function multichannelComponent(ctx: KindContext, name: string, a: AggregateSpec, periods: Period[]): ComponentRef {
  const params = new Parameters(ctx.dialect);
  const rel = new Relation(ctx.model, ctx.dialect, a.source);
  const per = perEntityGrouping(ctx, rel);
  const start = periodStartOf(rel, params, periods[0]!.grain);
  const conditions = [timeWindow(rel, params, periods[0]!.start, periods.at(-1)!.end), rel.filter(a.where, params), ...(a.engaged ? [engaged(rel, params)] : [])];
  const cte = `per AS (
  SELECT ${ctx.dialect.epochMs(start)} AS "period", ${rel.own(entityColumn(ctx.model, a.source)!)} AS "entity", ${per.select.join(', ')}, bit_or(${channelBit(rel, params)}) AS "channels"
  FROM ${rel.from()}
  WHERE ${conditions.join(' AND ')}
  GROUP BY ${start}, ${rel.own(entityColumn(ctx.model, a.source)!)}, ${per.groupingSets})`;
  const column = columnName(ctx.kpi.id, name);
  const id = `${ctx.kpi.id}:${name}`;
  const query = slicedQuery(ctx, rel, {
    id, description: `HCPs engaged on at least ${a.min_channels} channels, per ${periods[0]!.grain}`, params, ctes: [cte],
    aggregates: { [column]: `count(*) FILTER (WHERE ${ctx.dialect.bitCount('per."channels"')} >= ${params.bind(a.min_channels!, 'integer')})` },
  });
  ctx.queries.push(query);
  return { query: id, column, dims: query.dims };
}
