import type { Filter } from '../spec/filter.js';

/**
 * A measure as the compiler and evaluator read it: one variant per kind, every optional
 * setting filled with its default (`model/kinds.ts`), names in camelCase. Built from the
 * written measure by `normalize.ts`, and nowhere else.
 */

/** What an aggregate counts or adds up. */
export type AggregateFn = 'rows' | 'touches' | 'entities' | 'sum' | 'days';

/** Rows of another source that must follow a row (see `followed_by` in KPI files). */
export interface FollowedByModel {
  source: string;
  /** The date or timestamp column of the aggregate's own rows the window starts after. */
  after: string;
  /** ISO-8601 duration. */
  within: string;
  where?: Filter;
  engaged: boolean;
}

/** One count or sum over a source in the period (ratio and growth KPIs). */
export interface AggregateModel {
  source: string;
  fn: AggregateFn;
  /** The numeric column added up, for `fn: 'sum'`. */
  column?: string;
  /** The span of days added up, for `fn: 'days'`. */
  span?: { from: string; to: string };
  where?: Filter;
  /** Only events that count as engagement for their channel. */
  engaged: boolean;
  /** With `fn: 'entities'`: only HCPs engaged through at least this many channels. */
  minChannels?: number;
  followedBy?: FollowedByModel;
  /** Dimensions the count is not split by. */
  across?: string[];
  /** For catalog tables: only items referenced by a row of this source. */
  usedIn?: { source: string; where?: Filter };
}

export interface ReachModel { kind: 'reach'; source: string; population?: Filter; where?: Filter }
export interface RatioModel { kind: 'ratio'; numerator: AggregateModel; denominator: AggregateModel }
export interface FunnelModel {
  kind: 'funnel';
  source: string;
  per?: string;
  /** ISO-8601 duration from the first step to the last. */
  window: string;
  steps: Array<{ name: string; where: Filter }>;
}
export interface ScoreModel { kind: 'score'; source: string; where?: Filter; column: string; method: 'nps' | 'top_box' | 'mean'; top?: number }
export interface IndexWeights { breadth: number; depth: number; consistency: number }
export interface IndexModel { kind: 'index'; source: string; population?: Filter; trailingMonths: number; depthCap: number; weights: IndexWeights }
export interface AttainmentModel {
  kind: 'attainment';
  source: string;
  goals: { source: string; points: string; start: string; end: string };
}
export interface ReengagementModel {
  kind: 'reengagement';
  source: string;
  population?: Filter;
  /** ISO-8601 duration of quiet before the period that makes an HCP lapsed. */
  lookback: string;
}
export interface CapModel { kind: 'cap'; source: string; population?: Filter; per: 'week' | 'month'; max?: number }
export interface ShareModel { kind: 'share'; source: string; by: 'modality' | 'direction' | 'channel'; where?: Filter }
export interface GrowthModel { kind: 'growth'; of: AggregateModel; compare: 'last_year' | 'previous_period' }
export interface BenchmarkModel { kind: 'benchmark'; kpi: string; source: string; metric: string; against: 'leader' | 'median' }
export interface StageModel { kind: 'stage'; source: string; population?: Filter; trailingMonths: number }
export interface DerivedModel { kind: 'derived'; expression: string }
export interface AverageModel { kind: 'average'; source: string; column: string; where?: Filter; population?: Filter }

export type MeasureModel =
  | ReachModel | RatioModel | FunnelModel | ScoreModel | IndexModel | AttainmentModel | ReengagementModel
  | CapModel | ShareModel | GrowthModel | BenchmarkModel | StageModel | DerivedModel | AverageModel;

export type MeasureKindName = MeasureModel['kind'];
/** The measure of one kind. */
export type MeasureOf<K extends MeasureKindName> = Extract<MeasureModel, { kind: K }>;
