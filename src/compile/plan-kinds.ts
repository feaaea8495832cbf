import type { IndexWeights } from '../model/measure.js';

/**
 * What each kind hands the evaluator: its components (where each number comes from) and
 * its settings. One entry per kind; `evaluate/kinds/<kind>.ts` reads exactly this.
 */

/** A period as the plan and the results name it: label, and half-open UTC bounds. */
export interface PeriodRef {
  label: string;
  start: string;
  end: string;
}

/** Where a KPI component comes from: a column of a query, grouped by these dimensions. */
export interface ComponentRef {
  query: string;
  /** The query's column (`kpi:component` for computed components). */
  column: string;
  /** The KPI and the component the column holds, so nobody reads them back out of the column name. */
  kpi: string;
  component: string;
  /** The KPI dimensions this component can be sliced by; other slice dimensions are looked up as totals. */
  dims: string[];
}

type Refs<C extends string> = { [K in C]: ComponentRef };
type OptionalRefs<C extends string> = { [K in C]?: ComponentRef };
type Empty = Record<string, never>;

export interface KindPlans {
  reach: { components: Refs<'reached' | 'population'>; settings: Empty };
  ratio: { components: Refs<'numerator' | 'denominator'> & OptionalRefs<'support'>; settings: Empty };
  growth: {
    components: Refs<'value'> & OptionalRefs<'support'>;
    /** `comparison`: for each reported period, the period it is compared with. */
    settings: { compare: 'last_year' | 'previous_period'; comparison: Record<string, PeriodRef> };
  };
  share: { components: Refs<`touches_${string}`>; settings: { categories: string[] } };
  score: { components: Refs<'distribution'>; settings: { method: 'nps' | 'top_box' | 'mean'; top?: number; scale?: { min: number; max: number } } };
  funnel: { components: Refs<`step_${number}`>; settings: { steps: string[]; window: string } };
  index: {
    components: Refs<'sum_cei' | 'sum_breadth' | 'sum_depth' | 'sum_consistency' | 'population'>;
    settings: { trailing_months: number; depth_cap: number; weights: IndexWeights; channels: number };
  };
  attainment: { components: Refs<'goals' | 'sum_attainment' | 'on_pace' | 'sum_elapsed' | 'new_goals'>; settings: Empty };
  reengagement: { components: Refs<'lapsed' | 'reengaged'>; settings: { lookback: string } };
  cap: {
    components: Refs<'reached' | 'over_contacted'>;
    settings: { max: number; per: 'week' | 'month' } | { caps: Record<string, { max: number; per: 'week' | 'month' } | undefined> };
  };
  benchmark: {
    components: Refs<'rows'>;
    /** `direction`: the compared KPI's, which decides who leads. */
    settings: { kpi: string; against: 'leader' | 'median'; direction: 'higher' | 'lower' };
  };
  stage: { components: Refs<`at_${string}` | 'moved_up' | 'population'>; settings: { stages: string[]; trailing_months: number } };
  derived: { components: Empty; settings: { expression: string } };
  average: { components: Refs<'total' | 'population'>; settings: Empty };
}

export type PlannedKind = keyof KindPlans;
