import { entityColumn } from '../../model/model.js';
import type { MeasureOf } from '../../model/measure.js';
import { engaged, weight } from '../channels-sql.js';
import type { KindContext, KindOutput } from '../context.js';
import { Parameters } from '../filter.js';
import { groupingSql, projectSets, unionDims } from '../grouping.js';
import { columnName, componentRef } from '../plan.js';
import { periodValues } from '../per-entity.js';
import { Relation } from '../relation.js';

/**
 * Goal attainment: for each goal whose planning period overlaps the reporting period,
 * engagement points from the goal's start to the end of the reporting period (or of the
 * goal, if sooner) ÷ goal points, capped at 1. Touches count toward a goal when they share
 * its HCP and every other column both tables declare (e.g. brand). A goal is on pace when
 * its attainment reaches the elapsed share of its planning period; the mean elapsed share
 * is reported too, so a mid-period value can be read against the pace. Goals of 0 points are
 * left out (nothing to attain).
 */
export function attainment(ctx: KindContext, m: MeasureOf<'attainment'>): KindOutput<'attainment'> {
  const { dialect, model } = ctx;
  const { ident } = dialect;
  const params = new Parameters(dialect);
  const ev = new Relation(model, dialect, m.source, 'e');
  const goals = new Relation(model, dialect, m.goals.source, 'g');
  const goalEntity = entityColumn(model, m.goals.source)!;
  const evEntity = entityColumn(model, m.source)!;
  const shared = Object.keys(goals.spec.columns).filter((c) => c !== goalEntity && ev.spec.columns[c]?.type === goals.spec.columns[c]!.type && ![m.goals.start, m.goals.end, m.goals.points].includes(c));
  // A goal's span (its start and end) is part of its key: rows alike but for their ends count apart.
  const keyColumns = [goalEntity, ...shared, m.goals.start, m.goals.end];
  const time = ev.own(ev.spec.time!);
  const sets = projectSets(ctx.sets, (d) => goals.has(d));
  const dims = unionDims(sets);
  const ts = dialect.type('timestamp');
  const gStart = `CAST(${goals.own(m.goals.start)} AS ${ts})`;
  const gEnd = dialect.plusDays(`CAST(${goals.own(m.goals.end)} AS ${ts})`, 1);
  const sqlOf = (d: string) => goals.column(d).sql;
  const inWindow = `${goals.own(m.goals.points)} > 0
    AND ${gStart} < ${params.bind(ctx.periods.at(-1)!.end.toISOString(), 'timestamp')} AND ${gEnd} > ${params.bind(ctx.periods[0]!.start.toISOString(), 'timestamp')}`;
  const keyOn = (left: string, right: (c: string) => string) => keyColumns.map((c) => `${left}.${ident(`k:${c}`)} = ${right(c)}`).join(' AND ');
  const keyList = (alias: string) => keyColumns.map((c) => `${alias}.${ident(`k:${c}`)}`).join(', ');
  // Periods are numbered oldest first (starts and ends both increase), so a goal overlaps
  // periods lo..hi: lo the first ending after its start, hi the last starting before its end.
  const ends = ctx.periods.map((p) => params.bind(p.end.toISOString(), 'timestamp'));
  const lo = `CASE ${ctx.periods.map((_p, i) => `WHEN ${gStart} < ${ends[i]} THEN ${i}`).join(' ')} END`;
  // The period a touch first counted in: the first one ending after it.
  const bucket = `CASE ${ends.map((end, i) => `WHEN f."first" < ${end} THEN ${i}`).join(' ')} END`;
  const hi = `CASE ${ctx.periods.map((p, i) => [p, i] as const).reverse().map(([p, i]) => `WHEN ${gEnd} > ${params.bind(p.start.toISOString(), 'timestamp')} THEN ${i}`).join(' ')} END`;
  const ctes = [
    `periods AS (SELECT * FROM ${periodValues(dialect, params, ctx.periods, { i: [(_p, i) => i, 'integer'] })})`,
    // The goals active in some period: read from the goals, not from their (goal, period) rows.
    // A goal listed twice only repeats events below, which min() and max() ignore.
    `spans AS (
  SELECT ${keyColumns.map((c) => `${goals.own(c)} AS ${ident(`k:${c}`)}`).join(', ')}, ${gStart} AS "from", ${gEnd} AS "until", ${hi} AS "hi"
  FROM ${dialect.table(m.goals.source)} AS g
  WHERE ${inWindow})`,
    // Each engaged touch counts toward a goal from its first engaged event within the goal's
    // span; it then counts in every reporting period ending after that event.
    `firsts AS (
  SELECT ${keyList('g')}, g."hi", ${ev.own(ev.spec.channel!)} AS "channel", ${ev.own(ev.spec.touch!)} AS "touch",
    max(${weight(ev, params)}) AS "weight", min(${time}) AS "first"
  FROM spans AS g JOIN ${ev.from()} ON ${ev.own(evEntity)} = g.${ident(`k:${goalEntity}`)}${shared.map((c) => ` AND ${ev.own(c)} = g.${ident(`k:${c}`)}`).join('')}
    AND ${time} >= g."from" AND ${time} < g."until" AND ${engaged(ev, params)}
  GROUP BY ${keyList('g')}, g."hi", ${ev.own(ev.spec.channel!)}, ${ev.own(ev.spec.touch!)})`,
    // The points of each goal by the period its touches first counted in: a touch first
    // counted in period b counts in b and every later period (and none after the last).
    `buckets AS (
  SELECT ${keyList('f')}, f."hi", ${bucket} AS "b", sum(${dialect.exact('f."weight"')}) AS "w"
  FROM firsts AS f
  WHERE f."first" < ${ends.at(-1)!}
  GROUP BY ${keyList('f')}, f."hi", ${bucket})`,
    // Points to the end of period b, until the goal's next bucket: one narrow row per goal
    // and bucket rather than a column per period, so a large snapshot's goals stay small.
    `reached AS (
  SELECT ${keyList('c')}, pe."i", c."p"
  FROM (SELECT ${keyList('b')}, b."b", b."hi", sum(b."w") OVER (PARTITION BY ${keyList('b')} ORDER BY b."b") AS "p",
      COALESCE(lead(b."b") OVER (PARTITION BY ${keyList('b')} ORDER BY b."b"), b."hi" + 1) AS "next"
    FROM buckets AS b) AS c
  JOIN periods AS pe ON pe."i" >= c."b" AND pe."i" < c."next")`,
    // Each goal, and the periods it overlaps as a range of period numbers.
    `scored AS (
  SELECT ${dims.map((d) => `${sqlOf(d)} AS ${ident(`d:${d}`)}, `).join('')}${keyColumns.map((c) => `${goals.own(c)} AS ${ident(`k:${c}`)}, `).join('')}${gStart} AS "from", ${gEnd} AS "until", CAST(${goals.own(m.goals.points)} AS ${dialect.type('number')}) AS "goal",
    ${lo} AS "lo", ${hi} AS "hi"
  FROM ${goals.from()}
  WHERE ${inWindow})`,
    `per AS (
  SELECT p."period", ${dims.map((d) => `s.${ident(`d:${d}`)}, `).join('')}CAST(${dialect.daysBetween('s."from"', 'least(p."end", s."until")')} AS ${dialect.type('number')}) / ${dialect.daysBetween('s."from"', 's."until"')} AS "elapsed",
    CASE WHEN s."from" >= p."start" THEN 1 ELSE 0 END AS "new",
    least(1.0, COALESCE(r."p", 0) / s."goal") AS "attainment"
  FROM scored AS s JOIN (SELECT lo."i" AS "lo", hi."i" AS "hi", p.* FROM periods AS lo JOIN periods AS p ON lo."i" <= p."i" JOIN periods AS hi ON p."i" <= hi."i") AS p
    ON p."lo" = s."lo" AND p."hi" = s."hi"
    LEFT JOIN reached AS r ON ${keyOn('r', (c) => `s.${ident(`k:${c}`)}`)} AND r."i" = p."i")`,
  ];
  const column = (c: string) => columnName(ctx.kpi.id, c);
  const aggregates = {
    [column('goals')]: 'count(*)', [column('sum_attainment')]: `sum(${dialect.exact('a."attainment"')})`, [column('on_pace')]: dialect.agg('count', '*', 'a."attainment" >= a."elapsed"'),
    // How much of the goals' planning periods has gone by: mid-period, attainment is read against it (pace).
    [column('sum_elapsed')]: `sum(${dialect.exact('a."elapsed"')})`,
    // Goals that began within the period: the previous period's value counted other goals, so
    // a move from it is a new planning period starting from zero, not a change.
    [column('new_goals')]: 'sum(a."new")',
  };
  const outerOf = (d: string) => `a.${ident(`d:${d}`)}`;
  const outer = groupingSql(dialect, dims, sets, outerOf, ['a."period"']);
  const sql = [
    `WITH ${ctes.join(',\n')}`,
    `SELECT a."period" AS "period", ${[...outer.select, ...Object.entries(aggregates).map(([c, sql]) => `${sql} AS ${ident(c)}`)].join(',\n  ')}`,
    'FROM per AS a',
    `GROUP BY ${outer.groupBy}`,
  ].join('\n');
  const id = `${ctx.kpi.id}:goals`;
  ctx.queries.push({ id, description: `engagement points to date against each active goal, per ${ctx.periods[0]!.grain}`, sql, params: params.values, dims, feeds: Object.keys(aggregates),
    // Goals are per HCP and touches join them on their HCP: the counts and sums add up over HCPs.
    byHcp: true });
  const ref = (c: string) => componentRef(ctx.kpi.id, c, id, dims);
  return {
    components: { goals: ref('goals'), sum_attainment: ref('sum_attainment'), on_pace: ref('on_pace'), sum_elapsed: ref('sum_elapsed'), new_goals: ref('new_goals') },
    settings: {},
  };
}
