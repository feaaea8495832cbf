import type { Dialect } from './dialects/index.js';
import { dimColumn } from './plan.js';

/** Every dimension of some set, in first-seen order: the query's `dims`. */
export function unionDims(sets: readonly string[][]): string[] {
  return [...new Set(sets.flat())];
}

/** The slice sets a source can group by: each set cut to the dimensions the source can see. */
export function projectSets(sets: readonly string[][], visible: (dim: string) => boolean): string[][] {
  const out = new Map<string, string[]>();
  for (const set of sets) {
    const cut = set.filter(visible);
    out.set(cut.join(','), cut);
  }
  return [...out.values()];
}

/** The GROUPING number of a set: bit i (counted from the last dimension) is 1 when dims[n-1-i] is rolled up. */
export const gidOf = (dims: readonly string[], set: readonly string[]) => dims.reduce((g, d, i) => g + (set.includes(d) ? 0 : 2 ** (dims.length - 1 - i)), 0);

/**
 * The end of a GROUP BY: the `always` expressions, then the grouping sets over `dims`
 * (whose SQL is `sqlOf`). Where a dialect has no GROUPING SETS, a CUBE over the dimensions
 * with a HAVING that keeps only the sets asked for: the same rows, so it must stay last.
 */
export function groupingSets(dialect: Dialect, always: readonly string[], dims: readonly string[], sets: readonly string[][], sqlOf: (dim: string) => string): string {
  if (dims.length === 0) return always.length > 0 ? always.join(', ') : 'GROUPING SETS (())';
  if (dialect.capabilities.groupingSets) return [...always, `GROUPING SETS (${sets.map((s) => `(${s.map(sqlOf).join(', ')})`).join(', ')})`].join(', ');
  if (sets.length === 1 && sets[0]!.length === dims.length) return [...always, ...dims.map(sqlOf)].join(', ');
  return `${[...always, `CUBE (${dims.map(sqlOf).join(', ')})`].join(', ')} HAVING ${dialect.grouping(dims.map(sqlOf))} IN (${sets.map((s) => gidOf(dims, s)).join(', ')})`;
}

/**
 * The SELECT items and GROUP BY clause for grouping sets over dimensions whose SQL is
 * given by `sqlOf`. `always` are grouped in every set (the period, an entity); the GROUP
 * BY clause must end the SELECT.
 */
export function groupingSql(dialect: Dialect, dims: readonly string[], sets: readonly string[][], sqlOf: (dim: string) => string, always: readonly string[]) {
  const select = [
    dims.length > 0 ? `${dialect.grouping(dims.map(sqlOf))} AS "gid"` : '0 AS "gid"',
    ...dims.map((d) => `${sqlOf(d)} AS ${dialect.ident(dimColumn(d))}`),
  ];
  return { select, groupBy: groupingSets(dialect, always, dims, sets, sqlOf) };
}
