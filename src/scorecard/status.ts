import type { Bands } from '../model/kpi.js';
import type { TargetValue } from '../spec/target.js';

export type Status = 'green' | 'amber' | 'red' | 'no_target' | 'insufficient_data' | 'suppressed' | 'stale';

export interface StatusInput {
  value: number | Record<string, number> | null;
  n: number;
  target?: TargetValue;
  direction: 'higher' | 'lower';
  /** The KPI's bands (its own thresholds or the project's default, already the way it improves: `KpiModel.bands`). */
  bands: Bands;
  /** The KPI's `min_sample`. */
  minSample?: number;
  /** The project's minimum cell size: fewer HCPs behind a value and it is not shown. */
  minCell: number;
  /** A lagging source has not covered the requested period. */
  stale?: boolean;
}

export interface StatusResult {
  status: Status;
  /** Why, in words, for the statuses that are not a colour. */
  reason?: string;
  /** For share KPIs: the distance from the target mix (half the sum of absolute differences). */
  distance?: number;
}

/** How far a mix of shares is from the target mix: the share of the total that would have to move (0 = the same mix, 1 = disjoint). */
export function mixDistance(value: Record<string, number>, target: Record<string, number>): number {
  const keys = new Set([...Object.keys(value), ...Object.keys(target)]);
  return [...keys].reduce((sum, k) => sum + Math.abs((value[k] ?? 0) - (target[k] ?? 0)), 0) / 2;
}

/** Green, amber or red by direction: at or beyond the green band, then the amber band. */
function colour(measure: number, green: number, amber: number, higherIsBetter: boolean): Status {
  const reaches = (band: number) => (higherIsBetter ? measure >= band : measure <= band);
  return reaches(green) ? 'green' : reaches(amber) ? 'amber' : 'red';
}

/**
 * The status of one value. Privacy first (a value on fewer HCPs than the minimum cell is
 * never shown), then staleness, then the KPI's minimum sample, then the target.
 */
export function statusOf(input: StatusInput): StatusResult {
  // Nothing behind the value: there is nothing to hide either, only no data.
  if (input.n === 0 && input.value === null) return { status: 'insufficient_data', reason: 'no data for this slice and period' };
  if (input.n < input.minCell) return { status: 'suppressed', reason: `fewer than ${input.minCell} behind the value` };
  if (input.stale) return { status: 'stale', reason: 'the data does not cover this period yet' };
  if (input.value === null) return { status: 'insufficient_data', reason: 'no value for this period' };
  if (input.minSample !== undefined && input.n < input.minSample) return { status: 'insufficient_data', reason: `n = ${input.n}, below the minimum sample of ${input.minSample}` };
  if (input.target === undefined) return { status: 'no_target' };
  const b = input.bands;
  if (typeof input.value === 'object' || typeof input.target === 'object') {
    if (typeof input.value !== 'object' || typeof input.target !== 'object') return { status: 'no_target', reason: 'a mix of shares needs a target mix' };
    if (b.mode !== 'absolute') return { status: 'no_target', reason: 'a mix needs absolute thresholds (distances from the target mix)' };
    const distance = mixDistance(input.value, input.target);
    return { status: colour(distance, b.green, b.amber, false), distance };
  }
  if (b.mode === 'absolute') return { status: colour(input.value, b.green, b.amber, input.direction === 'higher') };
  if (input.target <= 0) return { status: 'no_target', reason: 'bands as fractions of a target need a positive target; use absolute thresholds' };
  return { status: colour(input.value / input.target, b.green, b.amber, input.direction === 'higher') };
}
