import type { EvalPeriod } from '../../model/period.js';
import type { AggregateModel } from '../../model/measure.js';
import type { KindContext } from '../context.js';
import { Parameters } from '../filter.js';
import { groupingSql, projectSets, unionDims } from '../grouping.js';
import { columnName, componentRef, type ComponentRef } from '../plan.js';
import { periodValues } from '../per-entity.js';
import { Relation } from '../relation.js';
import { periodStartOf, timeWindow } from '../time-sql.js';

/**
 * Catalog items (content) available in each period: approved before the period ends and
 * not expired before it starts. With `used_in`, only items that at least one row of the
 * other source references in the period.
 */
export function catalogComponent(ctx: KindContext, name: string, a: AggregateModel, periods: EvalPeriod[]): ComponentRef {
  const { dialect, model } = ctx;
  const { ident } = dialect;
  const params = new Parameters(dialect);
  const rel = new Relation(model, dialect, a.source);
  const validity = rel.spec.validity!;
  const key = Array.isArray(rel.spec.key) ? rel.spec.key[0]! : rel.spec.key;
  const sets = projectSets(ctx.sets, (d) => rel.has(d));
  const dims = unionDims(sets);
  const g = groupingSql(dialect, dims, sets, (d) => rel.column(d).sql, ['p."period"']);
  const conditions = [rel.filter(a.where, params)];
  let used = '';
  if (a.usedIn) {
    const user = new Relation(model, dialect, a.usedIn.source, 'u');
    const ref = Object.entries(user.spec.columns).find(([, c]) => c.references === a.source)![0];
    const start = periodStartOf(user, params, periods);
    const filter = user.filter(a.usedIn.where, params);
    used = ` JOIN (SELECT DISTINCT ${dialect.epochMs(start)} AS "period", ${user.own(ref)} AS "item" FROM ${user.from()} WHERE ${timeWindow(user, params, periods[0]!.start, periods.at(-1)!.end)} AND ${filter}) AS used ON used."period" = p."period" AND used."item" = ${rel.own(key)}`;
  }
  const from = rel.own(validity.from);
  const to = rel.own(validity.to);
  const sql = [
    `SELECT p."period" AS "period", ${[...g.select, `count(*) AS ${ident(columnName(ctx.kpi.id, name))}`].join(', ')}`,
    `FROM ${rel.from()} JOIN ${periodValues(dialect, params, periods)} ON ${from} < p."end" AND (${to} IS NULL OR ${to} > p."start")${used}`,
    `WHERE ${conditions.join(' AND ')}`,
    `GROUP BY ${g.groupBy}`,
  ].join('\n');
  const id = `${ctx.kpi.id}:${name}`;
  ctx.queries.push({ id, description: `${a.source} items available${a.usedIn ? ` and used in ${a.usedIn.source}` : ''}, per ${periods[0]!.grain}`, sql, params: params.values, dims, feeds: [columnName(ctx.kpi.id, name)] });
  return componentRef(ctx.kpi.id, name, id, dims);
}
