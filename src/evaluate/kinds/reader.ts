import type { ComponentRef, PeriodRef, PlannedKpi } from '../../compile/plan.js';
import type { EntityWords } from '../../model/entity-words.js';
import type { Dims, QueryRows } from '../rows.js';

/** The components of one KPI in one period and slice, by the names its plan entry gives them. */
export interface Components<P extends PlannedKpi> {
  kpi: P;
  /** The reported period (or trend point) being computed. */
  period: PeriodRef;
  /** The counted entities' words, for reasons ("no customers in the population"). */
  entity: EntityWords;
  /** The component as a number: 0 when no row has it, NaN when the KPI has no such component. */
  read(name: keyof P['components'] & string): number;
  /** The component as the engine returned it, in this period or another one (growth reads its comparison period). */
  raw(name: keyof P['components'] & string, at?: PeriodRef): unknown;
}

/** The reader of a KPI's components in a period and slice. */
export function componentsOf<P extends PlannedKpi>(kpi: P, rows: ReadonlyMap<string, QueryRows>, period: PeriodRef, slice: Dims, entity: EntityWords): Components<P> {
  const refs: Partial<Record<string, ComponentRef>> = kpi.components;
  const raw = (name: string, at = period) => {
    const ref = refs[name];
    return ref ? rows.get(ref.query)?.get(ref, Date.parse(at.start), slice) : undefined;
  };
  return { kpi, period, entity, raw, read: (name) => (refs[name] ? Number(raw(name) ?? 0) : Number.NaN) };
}
