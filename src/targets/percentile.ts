/**
 * The p-th percentile (0–100) of `values`, interpolated linearly between the two nearest
 * values once sorted: position (p / 100) × (count − 1). This is DuckDB's `quantile_cont`,
 * numpy's default and what the benchmark targets use. `null` for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const at = (p / 100) * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/**
 * The percentile asked for, the way the KPI improves: "the 60th" means a level reached or
 * beaten in about 40% of the periods, so for a lower-is-better KPI it is the 40th.
 */
export const directed = (p: number, direction: 'higher' | 'lower') => (direction === 'lower' ? 100 - p : p);
