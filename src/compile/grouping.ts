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

/**
 * The SELECT items and GROUP BY clause for grouping sets over dimensions whose SQL is
 * given by `sqlOf`. `always` are grouped in every set (the period, an entity).
 */
export function groupingSql(ident: (name: string) => string, dims: readonly string[], sets: readonly string[][], sqlOf: (dim: string) => string, always: readonly string[]) {
  const select = [
    dims.length > 0 ? `GROUPING(${dims.map(sqlOf).join(', ')}) AS "gid"` : '0 AS "gid"',
    ...dims.map((d) => `${sqlOf(d)} AS ${ident(dimColumn(d))}`),
  ];
  const groupingSets = sets.map((s) => `(${s.map(sqlOf).join(', ')})`).join(', ');
  const groupBy = [...always, `GROUPING SETS (${groupingSets})`].join(', ');
  return { select, groupBy };
}
