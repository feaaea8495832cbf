import type { AggregateSpec } from '../../spec/measure.js';
import type { Period } from '../../model/period.js';
import { entityColumn } from '../../model/model.js';
import { scanComponent, type KindContext } from '../context.js';
import type { ComponentRef } from '../plan.js';
import { catalogComponent } from './catalog.js';

/** One count or sum of a ratio or growth KPI, from wherever it can be computed. */
export function aggregateComponent(ctx: KindContext, name: string, a: AggregateSpec, periods: Period[] = ctx.periods, within?: AggregateSpec): ComponentRef {
  const spec = ctx.model.project.sources[a.source]!;
  // A count `across` some dimensions is read without them: their slices look up its total.
  if (a.across) ctx = { ...ctx, sets: ctx.sets.map((set) => set.filter((d) => !a.across!.includes(d))) };
  if (a.used_in || spec.validity) return catalogComponent(ctx, name, a, periods);
  const inside = within ? { within: { ...(within.where ? { where: within.where } : {}), ...(within.engaged ? { engaged: true } : {}), ...(within.followed_by ? { followedBy: within.followed_by } : {}) } } : {};
  const base = { ...(a.where ? { where: a.where } : {}), ...(a.engaged ? { engaged: true } : {}), ...(a.followed_by ? { followedBy: a.followed_by } : {}), ...inside };
  if (a.min_channels !== undefined) return scanComponent(ctx, a.source, name, { fn: 'channels', minChannels: a.min_channels, ...base }, periods);
  if (a.sum) return scanComponent(ctx, a.source, name, { fn: 'sum', value: a.sum, ...base, within: undefined }, periods);
  if (a.sum_days) return scanComponent(ctx, a.source, name, { fn: 'sum', days: a.sum_days, ...base, within: undefined }, periods);
  return scanComponent(ctx, a.source, name, { fn: a.count ?? 'rows', ...base, ...(a.count === 'entities' ? {} : { within: undefined }) }, periods);
}

/**
 * The support count of a sum: the HCPs contributing rows (or the rows, for a table
 * without HCPs). Counts are their own support.
 */
export function supportComponent(ctx: KindContext, name: string, a: AggregateSpec, periods: Period[] = ctx.periods): ComponentRef | undefined {
  if (!a.sum) return undefined;
  const fn = entityColumn(ctx.model, a.source) ? 'entities' : 'rows';
  return scanComponent(ctx, a.source, name, { fn, ...(a.where ? { where: a.where } : {}) }, periods);
}

/**
 * A rate of HCPs is a share of its denominator's HCPs: when both sides count HCPs of the
 * same source over time, the numerator counts only HCPs its denominator counts too (so
 * "reached HCPs who asked for a sample" never counts one who asked but was not reached).
 */
export function denominatorScope(ctx: KindContext, numerator: AggregateSpec, denominator: AggregateSpec): AggregateSpec | undefined {
  const countsHcps = (a: AggregateSpec) => a.count === 'entities' && !a.used_in;
  const same = numerator.source === denominator.source && ctx.model.project.sources[numerator.source]?.time && entityColumn(ctx.model, numerator.source);
  return same && countsHcps(numerator) && countsHcps(denominator) && denominator.min_channels === undefined ? denominator : undefined;
}
