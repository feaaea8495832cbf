import type { Grain } from '../spec/common.js';
import type { Parameters } from './filter.js';
import type { Relation } from './relation.js';

/** The source's time column. */
export const timeOf = (rel: Relation) => rel.own(rel.spec.time!);

/** Rows whose time is in [from, to). */
export function timeWindow(rel: Relation, params: Parameters, from: Date, to: Date): string {
  const time = timeOf(rel);
  return `${time} >= ${params.bind(from.toISOString(), 'timestamp')} AND ${time} < ${params.bind(to.toISOString(), 'timestamp')}`;
}

/** The start of the period holding the row's time. */
export function periodStartOf(rel: Relation, params: Parameters, grain: Grain, time = timeOf(rel)): string {
  // Only quarters depend on the fiscal year's start; an unused parameter would be an error.
  const shift = grain === 'quarter' ? params.bind(rel.model.calendar.fiscalYearStart - 1, 'integer') : '';
  return rel.dialect.periodStart(grain, time, shift);
}
