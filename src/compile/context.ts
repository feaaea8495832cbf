import type { EvalPeriod } from '../model/period.js';
import type { Filter } from '../spec/filter.js';
import type { KpiModel } from '../model/kpi.js';
import { projectSets, unionDims } from './grouping.js';
import { componentRef, scanId, type ComponentRef, type KindPlans, type PlannedKind, type PlannedQuery } from './plan.js';
import { Relation } from './relation.js';
import type { ScanAggregate, ScanRequest } from './scan.js';
import type { SliceScope } from './scope.js';

/** What a kind's compiler gets, and how it hands back scans and queries. */
export interface KindContext extends SliceScope {
  kpi: KpiModel;
  /** The trend window, oldest first. */
  periods: EvalPeriod[];
  asOf?: Date;
  scans: ScanRequest[];
  queries: PlannedQuery[];
}

/** What the compiler of kind `K` returns: its components and settings (`plan-kinds.ts`), and periods that may still change. */
export type KindOutput<K extends PlannedKind> = KindPlans[K] & { provisional?: string[] };

export const isPeriodic = (ctx: KindContext, source: string) => Boolean(ctx.model.sources[source]?.time);

/** Asks for one aggregate from the fused scan of `source`; returns where the evaluator finds it. */
export function scanComponent(ctx: KindContext, source: string, name: string, aggregate: Omit<ScanAggregate, 'column'>, periods = ctx.periods): ComponentRef {
  const rel = new Relation(ctx.model, ctx.dialect, source);
  const sets = projectSets(ctx.sets, (d) => rel.has(d));
  const ref = componentRef(ctx.kpi.id, name, scanId(source, isPeriodic(ctx, source) ? periods : undefined), unionDims(sets));
  ctx.scans.push({ source, ...(isPeriodic(ctx, source) ? { periods } : {}), sets, aggregates: [{ column: ref.column, ...aggregate }] });
  return ref;
}

/** The number of HCPs in a population (a filter on the HCP table), by the slice dimensions the HCP table has. */
export function populationComponent(ctx: KindContext, population: Filter | undefined): ComponentRef {
  return scanComponent(ctx, ctx.model.entity.source, 'population', { fn: 'rows', ...(population ? { where: population } : {}) });
}
