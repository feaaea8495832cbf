import { entityColumn } from '../../model/model.js';
import type { MeasureSpec } from '../../spec/measure.js';
import { engaged, weight } from '../channels-sql.js';
import type { KindContext, KindOutput } from '../context.js';
import { Parameters } from '../filter.js';
import { groupingSql, projectSets, unionDims } from '../grouping.js';
import { columnName } from '../plan.js';
import { periodValues } from '../per-entity.js';
import { Relation } from '../relation.js';

/**
 * Goal attainment: for each goal whose planning period overlaps the reporting period,
 * engagement points from the goal's start to the end of the reporting period (or of the
 * goal, if sooner) ÷ goal points, capped at 1. Touches count toward a goal when they share
 * its HCP and every other column both tables declare (e.g. brand). A goal is on pace when
 * its attainment reaches the elapsed share of its planning period. Goals of 0 points are
 * left out (nothing to attain).
 */
export function attainment(ctx: KindContext, m: Extract<MeasureSpec, { kind: 'attainment' }>): KindOutput {
  const { dialect, model } = ctx;
  const { ident } = dialect;
  const params = new Parameters(dialect);
  const ev = new Relation(model, dialect, m.source, 'e');
  const goals = new Relation(model, dialect, m.goals.source, 'g');
  const goalEntity = entityColumn(model, m.goals.source)!;
  const evEntity = entityColumn(model, m.source)!;
  const shared = Object.keys(goals.spec.columns).filter((c) => c !== goalEntity && ev.spec.columns[c]?.type === goals.spec.columns[c]!.type && ![m.goals.start, m.goals.end, m.goals.points].includes(c));
  const keyColumns = [goalEntity, ...shared, m.goals.start];
  const time = ev.own(ev.spec.time!);
  const sets = projectSets(ctx.sets, (d) => goals.has(d));
  const dims = unionDims(sets);
  const periods = periodValues(dialect, params, ctx.periods);
  const ts = dialect.type('timestamp');
  const gStart = `CAST(${goals.own(m.goals.start)} AS ${ts})`;
  const gEnd = dialect.plusDays(`CAST(${goals.own(m.goals.end)} AS ${ts})`, 1);
  const sqlOf = (d: string) => goals.column(d).sql;
  const dimSelect = dims.map((d) => `${sqlOf(d)} AS ${ident(`d:${d}`)}`);
  const ctes = [
    `active AS (
  SELECT p."period", ${keyColumns.map((c) => `${goals.own(c)} AS ${ident(`k:${c}`)}`).join(', ')}${dimSelect.map((d) => `, ${d}`).join('')},
    ${gStart} AS "from", ${gEnd} AS "until", least(p."end", ${gEnd}) AS "upto",
    CAST(${goals.own(m.goals.points)} AS ${dialect.type('number')}) AS "goal",
    CAST(${dialect.daysBetween(gStart, `least(p."end", ${gEnd})`)} AS ${dialect.type('number')}) / ${dialect.daysBetween(gStart, gEnd)} AS "elapsed"
  FROM ${goals.from()} JOIN ${periods} ON ${gStart} < p."end" AND ${gEnd} > p."start"
  WHERE ${goals.own(m.goals.points)} > 0
    AND ${gStart} < ${params.bind(ctx.periods.at(-1)!.end.toISOString(), 'timestamp')} AND ${gEnd} > ${params.bind(ctx.periods[0]!.start.toISOString(), 'timestamp')})`,
    // Each engaged touch counts toward a goal from its first engaged event within the goal's
    // span; it then counts in every reporting period ending after that event.
    // The goals active in some period: read from the goals, not from their (goal, period) rows.
    `spans AS (
  SELECT DISTINCT ${keyColumns.map((c) => `${goals.own(c)} AS ${ident(`k:${c}`)}`).join(', ')}, ${gStart} AS "from", ${gEnd} AS "until"
  FROM ${dialect.table(m.goals.source)} AS g
  WHERE ${goals.own(m.goals.points)} > 0
    AND ${gStart} < ${params.bind(ctx.periods.at(-1)!.end.toISOString(), 'timestamp')} AND ${gEnd} > ${params.bind(ctx.periods[0]!.start.toISOString(), 'timestamp')})`,
    `firsts AS (
  SELECT ${keyColumns.map((c) => `g.${ident(`k:${c}`)}`).join(', ')}, ${ev.own(ev.spec.channel!)} AS "channel", ${ev.own(ev.spec.touch!)} AS "touch",
    ${dialect.agg('any', weight(ev, params))} AS "weight", min(${time}) AS "first"
  FROM spans AS g JOIN ${ev.from()} ON ${ev.own(evEntity)} = g.${ident(`k:${goalEntity}`)}${shared.map((c) => ` AND ${ev.own(c)} = g.${ident(`k:${c}`)}`).join('')}
    AND ${time} >= g."from" AND ${time} < g."until" AND ${engaged(ev, params)}
  GROUP BY ${[...keyColumns.map((c) => `g.${ident(`k:${c}`)}`), ev.own(ev.spec.channel!), ev.own(ev.spec.touch!)].join(', ')})`,
    `points AS (
  SELECT a."period", ${keyColumns.map((c) => `a.${ident(`k:${c}`)}`).join(', ')}, sum(f."weight") AS "points"
  FROM active AS a JOIN firsts AS f ON f."first" < a."upto"${keyColumns.map((c) => ` AND f.${ident(`k:${c}`)} = a.${ident(`k:${c}`)}`).join('')}
  GROUP BY ${['a."period"', ...keyColumns.map((c) => `a.${ident(`k:${c}`)}`)].join(', ')})`,
    `per AS (
  SELECT a.*, least(1.0, COALESCE(pt."points", 0) / a."goal") AS "attainment"
  FROM active AS a LEFT JOIN points AS pt ON pt."period" = a."period"${keyColumns.map((c) => ` AND pt.${ident(`k:${c}`)} = a.${ident(`k:${c}`)}`).join('')})`,
  ];
  const column = (c: string) => columnName(ctx.kpi.id, c);
  const aggregates = { [column('goals')]: 'count(*)', [column('sum_attainment')]: 'sum(a."attainment")', [column('on_pace')]: dialect.agg('count', '*', 'a."attainment" >= a."elapsed"') };
  const outerOf = (d: string) => `a.${ident(`d:${d}`)}`;
  const outer = groupingSql(dialect, dims, sets, outerOf, ['a."period"']);
  const sql = [
    `WITH ${ctes.join(',\n')}`,
    `SELECT a."period" AS "period", ${[...outer.select, ...Object.entries(aggregates).map(([c, sql]) => `${sql} AS ${ident(c)}`)].join(',\n  ')}`,
    'FROM per AS a',
    `GROUP BY ${outer.groupBy}`,
  ].join('\n');
  const id = `${ctx.kpi.id}:goals`;
  ctx.queries.push({ id, description: `engagement points to date against each active goal, per ${ctx.periods[0]!.grain}`, sql, params: params.values, dims, feeds: Object.keys(aggregates) });
  return { components: Object.fromEntries(Object.keys(aggregates).map((c) => [c.slice(c.indexOf(':') + 1), { query: id, column: c, dims }])) };
}
