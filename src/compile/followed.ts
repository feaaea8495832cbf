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
 */
export function followedSql(rel: Relation, f: FollowedBy, params: Parameters): string {
  const { model, dialect } = rel;
  const next = new Relation(model, dialect, f.source, `${rel.alias}_f`);
  const after = rel.own(f.after);
  const time = next.own(next.spec.time!);
  const conditions = [
    `${next.own(entityColumn(model, f.source)!)} = ${rel.own(entityColumn(model, rel.source)!)}`,
    `${time} > ${after}`,
    `${time} <= ${dialect.plusDuration(after, f.within, (v, t) => params.bind(v, t))}`,
    next.filter(f.where, params),
    ...(f.engaged ? [engagedSql(next, params)] : []),
  ].filter((c) => c !== 'TRUE');
  return `EXISTS (SELECT 1 FROM ${next.from()} WHERE ${conditions.join(' AND ')})`;
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
