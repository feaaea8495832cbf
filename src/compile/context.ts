import type { Period } from '../model/period.js';
import type { Filter } from '../spec/filter.js';
import type { KpiModel } from '../model/kpi.js';
import { projectSets, unionDims } from './grouping.js';
import { columnName, scanId, type ComponentRef, type PlannedQuery } from './plan.js';
import { Relation } from './relation.js';
import type { ScanAggregate, ScanRequest } from './scan.js';
import type { SliceScope } from './scope.js';

/** What a kind's compiler gets, and how it hands back scans and queries. */
export interface KindContext extends SliceScope {
  kpi: KpiModel;
  /** The trend window, oldest first. */
  periods: Period[];
  asOf?: Date;
  scans: ScanRequest[];
  queries: PlannedQuery[];
}

/** What a kind's compiler returns. */
export interface KindOutput {
  components: Record<string, ComponentRef>;
  settings?: Record<string, unknown>;
  provisional?: string[];
}

export const isPeriodic = (ctx: KindContext, source: string) => Boolean(ctx.model.project.sources[source]?.time);

/** Asks for one aggregate from the fused scan of `source`; returns where the evaluator finds it. */
export function scanComponent(ctx: KindContext, source: string, name: string, aggregate: Omit<ScanAggregate, 'column'>, periods = ctx.periods): ComponentRef {
  const rel = new Relation(ctx.model, ctx.dialect, source);
  const sets = projectSets(ctx.sets, (d) => rel.has(d));
  const column = columnName(ctx.kpi.id, name);
  const periodic = isPeriodic(ctx, source);
  ctx.scans.push({ source, ...(periodic ? { periods } : {}), sets, aggregates: [{ column, ...aggregate }] });
  return { query: scanId(source, periodic ? periods : undefined), column, dims: unionDims(sets) };
}

/** The number of HCPs in a population (a filter on the HCP table), by the slice dimensions the HCP table has. */
export function populationComponent(ctx: KindContext, population: Filter | undefined): ComponentRef {
  return scanComponent(ctx, ctx.model.entity.source, 'population', { fn: 'rows', ...(population ? { where: population } : {}) });
}
