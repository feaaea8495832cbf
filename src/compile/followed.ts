import { entityColumn } from '../model/model.js';
import { approxMs } from '../model/duration.js';
import type { EvalPeriod } from '../model/period.js';
import type { AggregateModel, FollowedByModel } from '../model/measure.js';
import { engaged as engagedSql } from './channels-sql.js';
import type { Parameters } from './filter.js';
import { Relation } from './relation.js';

export type FollowedBy = FollowedByModel;
export type DaySpan = NonNullable<AggregateModel['span']>;

/**
 * Whether the row of `rel` has a row of the HCP's in `f.source` strictly after its `after`
 * time and at most `within` later: a row without an `after` time has none.
 *
 * Where the engine turns a correlated `EXISTS` into a join (DuckDB), it is one. Elsewhere
 * (PostgreSQL runs it once per row: hours at 10M events) the answer depends only on the
 * row's HCP and `after` time, so the pairs that qualify are computed once, by a join on
 * the HCP, and the rows are left-joined to them.
 */
export function followedSql(rel: Relation, f: FollowedBy, params: Parameters): string {
  const { model, dialect } = rel;
  const ref = entityColumn(model, rel.source)!;
  if (dialect.capabilities.decorrelatesExists) {
    const next = new Relation(model, dialect, f.source, `${rel.alias}_f`);
    const { sameHcp, inWindow } = followingRows(next, f, rel.own(ref), rel.own(f.after), params);
    return `EXISTS (SELECT 1 FROM ${next.from()} WHERE ${[sameHcp, ...inWindow].join(' AND ')})`;
  }
  const alias = rel.leftJoin(JSON.stringify(['followed', f]), (d) => {
    const rows = new Relation(model, dialect, rel.source, `${d}_r`);
    const next = new Relation(model, dialect, f.source, `${d}_n`);
    const { sameHcp, inWindow } = followingRows(next, f, rows.own(ref), rows.own(f.after), params);
    const table = `(SELECT DISTINCT ${rows.own(ref)} AS "entity", ${rows.own(f.after)} AS "after"
    FROM ${next.from()} JOIN ${rows.from()} ON ${sameHcp}
    WHERE ${inWindow.join(' AND ')})`;
    return { table, on: `${d}."entity" = ${rel.own(ref)} AND ${d}."after" = ${rel.own(f.after)}` };
  });
  return `${alias}."entity" IS NOT NULL`;
}

/** The conditions on a row of `next` following a row with HCP `entity` at `after`: the same HCP; in the window and passing the filters. */
function followingRows(next: Relation, f: FollowedBy, entity: string, after: string, params: Parameters): { sameHcp: string; inWindow: string[] } {
  const time = next.own(next.spec.time!);
  return {
    sameHcp: `${next.own(entityColumn(next.model, f.source)!)} = ${entity}`,
    inWindow: [
      `${time} > ${after}`,
      `${time} <= ${next.dialect.plusDuration(after, f.within, (v, t) => params.bind(v, t))}`,
      next.filter(f.where, params),
      ...(f.engaged ? [engagedSql(next, params)] : []),
    ].filter((c) => c !== 'TRUE'),
  };
}

/** The days from one column to the other, per row, as an exact decimal (so sums do not depend on row order). */
export function daysSql(rel: Relation, span: DaySpan): string {
  const d = rel.dialect;
  return d.exact(`(${d.epochMs(rel.own(span.to))} - ${d.epochMs(rel.own(span.from))}) / 86400000.0`);
}

/** Periods whose window after their end runs past the as-of date: later engagement may still come. */
export function provisionalPeriods(periods: readonly EvalPeriod[], aggregates: readonly AggregateModel[], asOf: Date | undefined): string[] {
  const windows = aggregates.flatMap((a) => (a.followedBy ? [approxMs(a.followedBy.within)] : []));
  if (!asOf || windows.length === 0) return [];
  const longest = Math.max(...windows);
  return periods.filter((p) => p.end.getTime() + longest > asOf.getTime()).map((p) => p.label);
}
