/**
 * How often a target would have been met over past periods, for a pull request that
 * changes a target ("met in 4 of the last 12 months"): `of` counts the periods with a value,
 * `met` those at or beyond the target the way the KPI improves. Periods without a value
 * (null) are left out of both.
 */
export function targetHistory(values: readonly (number | null)[], target: number, direction: 'higher' | 'lower'): { met: number; of: number } {
  const known = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const met = known.filter((v) => (direction === 'lower' ? v <= target : v >= target)).length;
  return { met, of: known.length };
}
