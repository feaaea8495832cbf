import { duckdb } from '../../compile/dialects/duckdb.js';
import type { Param } from '../engine.js';

const { ident } = duckdb;

/** What evaluating in parts needs of the database (so this file and database.ts do not import each other). */
interface Statements {
  run(sql: string, params?: readonly Param[]): Promise<void>;
  all<T = Record<string, unknown>>(sql: string, params?: readonly Param[]): Promise<T[]>;
}

/** The tables with an HCP column, by name, and that column; `entity` is the HCP table itself. */
export interface HcpTables {
  entity: { table: string; key: string };
  columns: ReadonlyMap<string, string>;
  /** The Parquet file a table reads in place, if it does. */
  files: ReadonlyMap<string, string>;
}

const PART_SCHEMA = 'kpiops_part';
const ROWS = 'kpiops_part_rows';
const BOUNDS = 'kpiops_part_bounds';

/**
 * Rows per part for each GiB of DuckDB's memory limit. Per-touch and per-HCP groupings of
 * more rows than this outgrow the limit and spill; on the 100M-event sample under 4 GB, the
 * interactions scan took 87 s in one piece and 53 s in ten parts (10M events took 4.7 s).
 */
export const ROWS_PER_GIB = 2_500_000;

/**
 * Decides whether queries that add up over HCPs run in parts, and prepares the split: the
 * largest table with an HCP column is cut into parts of about `rowsPerPart` rows by ranges
 * of HCP values, taken from the HCP table. Only when every large table with an HCP column
 * is a Parquet file whose row groups each hold a narrow range of HCPs (a file written in HCP
 * order): a part then reads only its own row groups. Otherwise every part would read every
 * row group, so the query runs in one piece. Returns the number of parts (1: no split) and,
 * when a table's file kept it from splitting, that table and its row count.
 */
export async function prepareSplit(db: Statements, tables: HcpTables, rowsPerPart: number): Promise<{ parts: number; unordered?: { table: string; rows: number } }> {
  const one = { parts: 1 };
  const counts = new Map<string, number>();
  for (const table of tables.columns.keys()) {
    const [{ n }] = (await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${ident(table)}`)) as [{ n: number }];
    counts.set(table, Number(n));
  }
  const largest = Math.max(0, ...counts.values());
  const parts = Math.ceil(largest / rowsPerPart);
  if (parts < 2) return one;
  const { table: hcps, key } = tables.entity;
  if (!counts.has(hcps)) return one;
  const fractions = Array.from({ length: parts - 1 }, (_, i) => (i + 1) / parts);
  // Part i (from 1) ends before bound i: the distinct quantiles of the HCP table's key, numbered.
  await db.run(`CREATE OR REPLACE TEMP TABLE ${BOUNDS} AS
    SELECT row_number() OVER (ORDER BY "at") AS "i", "at" FROM (
      SELECT DISTINCT unnest(quantile_disc(${ident(key)}, [${fractions.join(', ')}])) AS "at" FROM ${ident(hcps)} WHERE ${ident(key)} IS NOT NULL)`);
  const [{ bounds, type }] = (await db.all<{ bounds: number; type: string | null }>(`SELECT count(*) AS bounds, any_value(typeof("at")) AS type FROM ${BOUNDS}`)) as [{ bounds: number; type: string | null }];
  if (Number(bounds) === 0 || type === null) return one;
  // Row groups read: each part reads those whose HCP range meets its own (in HCP order, about
  // one more per part than the file has; in no order, every part reads every group). The
  // statistics are text in the file's metadata, compared as the HCP key's type.
  if (!/^(VARCHAR|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|DATE)$/.test(type)) return one;
  for (const [table, count] of counts) {
    // A range of the HCP table's key narrows a column of the same type only.
    const [seen] = await db.all<{ type: string }>(`SELECT column_type AS type FROM (DESCRIBE ${ident(table)}) WHERE column_name = $1`, [tables.columns.get(table)!]);
    if (seen?.type !== type) return one;
    if (count < rowsPerPart / 4) continue;
    const file = tables.files.get(table);
    if (file === undefined) return { parts: 1, unordered: { table, rows: count } };
    const [{ groups, reads }] = (await db.all<{ groups: number; reads: number }>(`
      WITH g AS (
        SELECT TRY_CAST(stats_min_value AS ${type}) AS lo, TRY_CAST(stats_max_value AS ${type}) AS hi
        FROM parquet_metadata($1) WHERE path_in_schema = $2),
      p AS (
        SELECT lag("at") OVER (ORDER BY "i") AS lo, "at" AS hi FROM ${BOUNDS}
        UNION ALL SELECT max("at"), NULL FROM ${BOUNDS})
      SELECT (SELECT count(*) FROM g) AS groups,
        (SELECT count(*) FROM g, p WHERE g.lo IS NULL OR g.hi IS NULL
          OR ((p.hi IS NULL OR g.lo < p.hi) AND (p.lo IS NULL OR g.hi >= p.lo))) AS reads`, [file, tables.columns.get(table)!])) as [{ groups: number; reads: number }];
    // In HCP order, each part reads its own row groups and at most one shared with the next.
    if (Number(reads) > (Number(groups) + parts) * 1.5) return { parts: 1, unordered: { table, rows: count } };
  }
  return { parts: Number(bounds) + 1 };
}

/**
 * Runs `sql` once per part, each time with every table with an HCP column narrowed to the
 * part's HCPs (views in a schema of their own, in front of the schema in use), and adds
 * the parts' `sums` columns row by row: every other column is the row's key.
 */
export async function allInParts<T>(db: Statements, tables: HcpTables, parts: number, sql: string, params: readonly Param[], sums: ReadonlySet<string>): Promise<T[]> {
  const [{ schema }] = (await db.all<{ schema: string }>('SELECT current_schema() AS schema')) as [{ schema: string }];
  const base = `snapshot.${ident(schema)}`;
  const names = await db.all<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_catalog = 'snapshot' AND table_schema = $1`, [schema]);
  await db.run(`CREATE SCHEMA IF NOT EXISTS snapshot.${PART_SCHEMA}`);
  /** Each view's filter as last written: the bounds are variables, so a view changes only with its filter's shape. */
  const written = new Map<string, string>();
  try {
    for (let part = 1; part <= parts; part++) {
      await db.run(`SET VARIABLE kpiops_part_from = (SELECT "at" FROM ${BOUNDS} WHERE "i" = ${part - 1})`);
      await db.run(`SET VARIABLE kpiops_part_to = (SELECT "at" FROM ${BOUNDS} WHERE "i" = ${part})`);
      for (const { name } of names) {
        const column = tables.columns.get(name);
        const c = column === undefined ? undefined : ident(column);
        // Rows without an HCP go with the last part, so each row is read by exactly one part.
        const where = c === undefined ? ''
          : part === 1 ? ` WHERE ${c} < getvariable('kpiops_part_to')`
            : part === parts ? ` WHERE ${c} >= getvariable('kpiops_part_from') OR ${c} IS NULL`
              : ` WHERE ${c} >= getvariable('kpiops_part_from') AND ${c} < getvariable('kpiops_part_to')`;
        if (written.get(name) === where) continue;
        await db.run(`CREATE OR REPLACE VIEW snapshot.${PART_SCHEMA}.${ident(name)} AS SELECT * FROM ${base}.${ident(name)}${where}`);
        written.set(name, where);
      }
      await db.run(`USE snapshot.${PART_SCHEMA}`);
      try {
        await db.run(part === 1 ? `CREATE OR REPLACE TEMP TABLE ${ROWS} AS SELECT * FROM (${sql})` : `INSERT INTO temp.main.${ROWS} SELECT * FROM (${sql})`, params);
      } finally {
        await db.run(`USE ${base}`);
      }
    }
    const columns = await db.all<{ name: string; type: string }>(`SELECT column_name AS name, column_type AS type FROM (DESCRIBE temp.main.${ROWS})`);
    const select = columns.map(({ name, type }) => {
      if (!sums.has(name)) return ident(name);
      // Counts and exact sums only: a floating-point sum would depend on the order of the parts.
      if (!/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|DECIMAL\(\d+,\s*\d+\))$/.test(type)) throw new Error(`column ${name} of a query run in parts is ${type}, not a count or an exact sum`);
      return `CAST(sum(${ident(name)}) AS ${type}) AS ${ident(name)}`;
    });
    return await db.all<T>(`SELECT ${select.join(', ')} FROM temp.main.${ROWS} GROUP BY ALL`);
  } finally {
    await db.run(`DROP TABLE IF EXISTS temp.main.${ROWS}`);
  }
}
