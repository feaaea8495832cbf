import type { AggregateSpec } from '../../spec/measure.js';
import type { Period } from '../../model/period.js';
import { entityColumn } from '../../model/model.js';
import { scanComponent, type KindContext } from '../context.js';
import type { ComponentRef } from '../plan.js';
import { catalogComponent } from './catalog.js';

/** One count or sum of a ratio or growth KPI, from wherever it can be computed. */
export function aggregateComponent(ctx: KindContext, name: string, a: AggregateSpec, periods: Period[] = ctx.periods): ComponentRef {
  const spec = ctx.model.project.sources[a.source]!;
  if (a.used_in || spec.validity) return catalogComponent(ctx, name, a, periods);
  const base = { ...(a.where ? { where: a.where } : {}), ...(a.engaged ? { engaged: true } : {}) };
  if (a.min_channels !== undefined) return scanComponent(ctx, a.source, name, { fn: 'channels', minChannels: a.min_channels, ...base }, periods);
  if (a.sum) return scanComponent(ctx, a.source, name, { fn: 'sum', value: a.sum, ...base }, periods);
  return scanComponent(ctx, a.source, name, { fn: a.count ?? 'rows', ...base }, periods);
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
