import type { TargetSpec } from '../spec/target.js';
import type { MeasureModel } from './measure.js';

/** Where green turns amber and amber turns red, already the way the KPI improves. */
export interface Bands {
  mode: 'ratio' | 'absolute';
  green: number;
  amber: number;
}

/** A KPI as the compiler, the evaluator and the results read it (built by `normalize.ts`). */
export interface KpiModel {
  id: string;
  name: string;
  description: string;
  owner?: string;
  stages: string[];
  indicator: 'leading' | 'lagging';
  unit: 'percent' | 'ratio' | 'count' | 'score' | 'currency';
  direction: 'higher' | 'lower';
  tags: string[];
  dimensions: string[];
  target?: TargetSpec;
  /**
   * The KPI's own thresholds, or the project's default: written for higher-is-better KPIs,
   * so mirrored around 1 for lower-is-better ones in ratio mode.
   */
  bands: Bands;
  minSample?: number;
  measure: MeasureModel;
  /** The KPIs this one is computed from (derived formulas, benchmark comparisons). */
  dependsOn: string[];
  /** The source declarations its numbers depend on, itself or through its inputs, sorted. */
  sourcesRead: string[];
  /** The tables its queries read, itself or through its inputs, sorted: what a snapshot must hold for it. */
  tablesRead: string[];
  /** The identity of its definition (`definition-hash.ts`). */
  definitionHash: string;
}
