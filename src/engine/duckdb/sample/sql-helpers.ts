/** SQL text for constants of the sample world (never user input): literals and weighted picks. */
export const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;

/** `CASE WHEN u < w1 THEN v1 WHEN u < w1+w2 THEN v2 … ELSE vn END` over weighted choices. */
export function pick(u: string, choices: ReadonlyArray<readonly [string, number]>): string {
  if (choices.length === 1) return lit(choices[0]![0]);
  const total = choices.reduce((s, [, w]) => s + w, 0);
  let cumulative = 0;
  const whens = choices.slice(0, -1).map(([value, weight]) => {
    cumulative += weight / total;
    return `WHEN ${u} < ${cumulative.toFixed(6)} THEN ${lit(value)}`;
  });
  return `CASE ${whens.join(' ')} ELSE ${lit(choices.at(-1)![0])} END`;
}

/** `CASE column WHEN k1 THEN v1 … END` for a lookup by value. */
export function lookup(column: string, entries: ReadonlyArray<readonly [string, string | number]>, otherwise = 'NULL'): string {
  return `CASE ${column} ${entries.map(([k, v]) => `WHEN ${lit(k)} THEN ${typeof v === 'number' ? v : lit(v)}`).join(' ')} ELSE ${otherwise} END`;
}
