import type { AggregateModel } from '../../model/measure.js';
import type { EvalPeriod } from '../../model/period.js';
import { entityColumn } from '../../model/model.js';
import { scanComponent, type KindContext } from '../context.js';
import type { ComponentRef } from '../plan.js';
import { catalogComponent } from './catalog.js';

/** One count or sum of a ratio or growth KPI, from wherever it can be computed. */
export function aggregateComponent(ctx: KindContext, name: string, a: AggregateModel, periods: EvalPeriod[] = ctx.periods, within?: AggregateModel): ComponentRef {
  const spec = ctx.model.sources[a.source]!;
  // A count `across` some dimensions is read without them: their slices look up its total.
  if (a.across) ctx = { ...ctx, sets: ctx.sets.map((set) => set.filter((d) => !a.across!.includes(d))) };
  if (a.usedIn || spec.validity) return catalogComponent(ctx, name, a, periods);
  const inside = within ? { within: { ...(within.where ? { where: within.where } : {}), ...(within.engaged ? { engaged: true } : {}), ...(within.followedBy ? { followedBy: within.followedBy } : {}) } } : {};
  const base = { ...(a.where ? { where: a.where } : {}), ...(a.engaged ? { engaged: true } : {}), ...(a.followedBy ? { followedBy: a.followedBy } : {}), ...inside };
  if (a.minChannels !== undefined) return scanComponent(ctx, a.source, name, { fn: 'channels', minChannels: a.minChannels, ...base }, periods);
  if (a.fn === 'sum') return scanComponent(ctx, a.source, name, { fn: 'sum', value: a.column!, ...base, within: undefined }, periods);
  if (a.fn === 'days') return scanComponent(ctx, a.source, name, { fn: 'sum', days: a.span!, ...base, within: undefined }, periods);
  return scanComponent(ctx, a.source, name, { fn: a.fn, ...base, ...(a.fn === 'entities' ? {} : { within: undefined }) }, periods);
}

/**
 * The support count of a sum: the HCPs contributing rows (or the rows, for a table
 * without HCPs). Counts are their own support.
 */
export function supportComponent(ctx: KindContext, name: string, a: AggregateModel, periods: EvalPeriod[] = ctx.periods): ComponentRef | undefined {
  if (a.fn !== 'sum') return undefined;
  const fn = entityColumn(ctx.model, a.source) ? 'entities' : 'rows';
  return scanComponent(ctx, a.source, name, { fn, ...(a.where ? { where: a.where } : {}) }, periods);
}

/**
 * A rate of HCPs is a share of its denominator's HCPs: when both sides count HCPs of the
 * same source over time, the numerator counts only HCPs its denominator counts too (so
 * "reached HCPs who asked for a sample" never counts one who asked but was not reached).
 */
export function denominatorScope(ctx: KindContext, numerator: AggregateModel, denominator: AggregateModel): AggregateModel | undefined {
  const countsHcps = (a: AggregateModel) => a.fn === 'entities' && !a.usedIn;
  const same = numerator.source === denominator.source && ctx.model.sources[numerator.source]?.time && entityColumn(ctx.model, numerator.source);
  return same && countsHcps(numerator) && countsHcps(denominator) && denominator.minChannels === undefined ? denominator : undefined;
}
