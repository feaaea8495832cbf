import { entityColumn } from '../../model/model.js';
import { approxMs } from '../../model/duration.js';
import type { MeasureOf } from '../../model/measure.js';
import type { KindContext, KindOutput } from '../context.js';
import { Parameters } from '../filter.js';
import { groupingSql, projectSets, unionDims } from '../grouping.js';
import { columnName, componentRef } from '../plan.js';
import { Relation } from '../relation.js';
import { periodStartOf, timeWindow } from '../time-sql.js';

const DAY = 86_400_000;

/**
 * Funnel: the cohort of a period is each (HCP, `per`) pair whose first step occurs in the
 * period, anchored at its first such event; step k counts when it occurs at or after step
 * k−1 and within the window from the anchor, even after the period ends. Event-level slice
 * values (e.g. brand) are those of the anchor event.
 */
export function funnel(ctx: KindContext, m: MeasureOf<'funnel'>): KindOutput<'funnel'> {
  const { dialect, model } = ctx;
  const { ident } = dialect;
  const params = new Parameters(dialect);
  const rel = new Relation(model, dialect, m.source);
  const grain = ctx.periods[0]!.grain;
  const window = m.window;
  const entity = rel.own(entityColumn(model, m.source)!);
  const pair = m.per ? rel.own(m.per) : 'NULL';
  const time = rel.own(rel.spec.time!);
  const first = ctx.periods[0]!.start;
  const last = ctx.periods.at(-1)!.end;
  const steps = m.steps.map((s) => rel.filter(s.where, params));
  const sets = projectSets(ctx.sets, (d) => rel.has(d));
  const dims = unionDims(sets);
  const own = dims.filter((d) => rel.spec.columns[d]);
  const until = new Date(last.getTime() + approxMs(window) + DAY);
  const anchorDims = own.map((d) => `, ${dialect.argMin(ident(`e:${d}`), '"t"')} AS ${ident(`e:${d}`)}`).join('');
  // Every column a step carries on: the cohort's keys, anchor values and earlier steps.
  const carried = (i: number) => ['"period"', '"entity"', '"pair"', '"t0"', ...own.map((d) => ident(`e:${d}`)), ...Array.from({ length: i }, (_x, j) => `"t${j + 1}"`)];
  // One expression for the SELECT and the GROUP BY: binding the fiscal shift twice would make them differ.
  const anchorPeriod = periodStartOf(rel, params, ctx.periods, '"t"');
  const ctes = [
    `events AS (
  SELECT ${entity} AS "entity", ${pair} AS "pair", ${time} AS "t"${own.map((d) => `, ${rel.own(d)} AS ${ident(`e:${d}`)}`).join('')},
    ${steps.map((s, i) => `${s} AS "s${i}"`).join(', ')}
  FROM ${rel.from()}
  WHERE ${timeWindow(rel, params, first, until)} AND (${steps.join(' OR ')}))`,
    `k0 AS (
  SELECT ${dialect.epochMs(anchorPeriod)} AS "period", "entity", "pair", min("t") AS "t0", min("t") AS "t_prev"${anchorDims}
  FROM events WHERE "s0" AND "t" < ${params.bind(last.toISOString(), 'timestamp')}
  GROUP BY ${anchorPeriod}, "entity", "pair")`,
    ...m.steps.slice(1).map((_s, i) => `k${i + 1} AS (
  SELECT ${carried(i).map((c) => `k.${c}`).join(', ')}, min(e."t") AS "t${i + 1}", min(e."t") AS "t_prev"
  FROM k${i} AS k LEFT JOIN events AS e ON e."entity" = k."entity" AND ${dialect.distinct('e."pair"', 'k."pair"', true)} AND e."s${i + 1}"
    AND e."t" >= k."t_prev" AND e."t" <= ${dialect.plusDuration('k."t0"', window, (v, t) => params.bind(v, t))}
  GROUP BY ${carried(i).map((c) => `k.${c}`).join(', ')})`),
  ];
  const sqlOf = (d: string) => (rel.spec.columns[d] ? `k.${ident(`e:${d}`)}` : `h.${ident(d)}`);
  const g = groupingSql(dialect, dims, sets, sqlOf, ['k."period"']);
  const column = (i: number) => columnName(ctx.kpi.id, `step_${i}`);
  const counts = m.steps.map((_s, i) => `count(${i === 0 ? '*' : `k."t${i}"`}) AS ${ident(column(i))}`);
  const sql = [
    `WITH ${ctes.join(',\n')}`,
    `SELECT k."period" AS "period", ${[...g.select, ...counts].join(',\n  ')}`,
    `FROM k${m.steps.length - 1} AS k LEFT JOIN ${dialect.table(model.entity.source)} AS h ON k."entity" = h.${ident(model.entity.key)}`,
    `GROUP BY ${g.groupBy}`,
  ].join('\n');
  const id = `${ctx.kpi.id}:funnel`;
  ctx.queries.push({ id, description: `${m.steps.map((s) => s.name).join(' → ')} within ${window}, per ${grain}`, sql, params: params.values, dims, feeds: m.steps.map((_s, i) => column(i)) });
  const provisional = ctx.asOf ? ctx.periods.filter((p) => p.end.getTime() + approxMs(window) > ctx.asOf!.getTime()).map((p) => p.label) : [];
  return {
    components: Object.fromEntries(m.steps.map((_s, i) => [`step_${i}`, componentRef(ctx.kpi.id, `step_${i}`, id, dims)])),
    settings: { steps: m.steps.map((s) => s.name), window },
    provisional,
  };
}
