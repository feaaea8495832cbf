import type { Grain } from '../spec/common.js';
import type { ColumnSpec } from '../spec/project.js';

/** Aggregates the compiler uses; `any` is any one value of a group whose values are all equal. */
export type AggFn = 'count' | 'sum' | 'min' | 'max' | 'bool_or' | 'bit_or' | 'any';

/** Binds a value as a parameter of the query being written and returns its placeholder. */
export type Bind = (value: string | number, type: ColumnSpec['type']) => string;

/** Where SQL engines differ in what they can say; the compiler writes around what a dialect lacks. */
export interface Capabilities {
  /** `agg(x) FILTER (WHERE c)`; without it, `agg(CASE WHEN c THEN x END)`. */
  filterClause: boolean;
  /** `GROUP BY GROUPING SETS (…)`; without it, `CUBE` over the dimensions and a HAVING keeping the sets asked for. */
  groupingSets: boolean;
  /** `GROUPING(a, b)` with several arguments; without it, the bits are added up one argument at a time. */
  multiArgGrouping: boolean;
  /** `(a, b) IN (VALUES (…), …)`; without it, a disjunction of equalities. */
  rowValueIn: boolean;
  /** `(VALUES …) AS p(a, b)` as a table; without it, an array of structs unnested (BigQuery). */
  valuesTable: boolean;
  /** `x IS [NOT] DISTINCT FROM y`; without it, `EQUAL_NULL` (Snowflake's null-safe equality). */
  isDistinctFrom: boolean;
  /** `WITH x AS NOT MATERIALIZED (…)`: a hint, left out where unknown. */
  notMaterialized: boolean;
}

/**
 * What differs between SQL engines, so the compiler writes one plan for all of them.
 * DuckDB and PostgreSQL run plans; Snowflake and BigQuery plans are SQL to hand to the
 * warehouse. Every method returns SQL text built only from its arguments, which are SQL
 * the compiler wrote itself or parameter placeholders.
 */
export interface Dialect {
  name: 'duckdb' | 'postgres' | 'snowflake' | 'bigquery';
  capabilities: Capabilities;
  /** A quoted identifier: no name can break out of it. */
  ident(name: string): string;
  /** The table a source is read from: its name, or the warehouse table or view it is mapped to. */
  table(source: string): string;
  /** The placeholder of the n-th bound parameter (1-based), typed where the engine would not infer the type. */
  param(index: number, type: ColumnSpec['type']): string;
  /** The engine's name of a column type. */
  type(type: ColumnSpec['type']): string;
  /**
   * The start of the period of `grain` holding a timestamp, in UTC. `fiscalShift` is the
   * placeholder of a bound integer: months between January and the fiscal year's start.
   */
  periodStart(grain: Grain, timestamp: string, fiscalShift: string): string;
  /** The start of the day, ISO week or month holding a timestamp. */
  truncate(unit: 'day' | 'week' | 'month', timestamp: string): string;
  /** Milliseconds since 1970 of a timestamp (how periods leave the engine). */
  epochMs(timestamp: string): string;
  /** A timestamp plus an ISO-8601 duration (`P30D`, `P1M`), its parts bound with `bind`. */
  plusDuration(timestamp: string, duration: string, bind: Bind): string;
  /** A timestamp plus a whole number of days written in the SQL. */
  plusDays(timestamp: string, days: number): string;
  /** Day boundaries from one timestamp to another (whole days between their dates). */
  daysBetween(from: string, to: string): string;
  /** Month boundaries from one timestamp to another. */
  monthsBetween(from: string, to: string): string;
  /** Number of set bits of a 64-bit integer whose set bits are all below bit `width`. */
  bitCount(bits: string, width: number): string;
  /** 2^n as a 64-bit integer. */
  bit(n: string): string;
  bitAnd(a: string, b: string): string;
  bitOr(a: string, b: string): string;
  /** An aggregate over the rows of a group matching `where` (all rows without it); `count` of `*` counts rows. */
  agg(fn: AggFn, arg: string, where?: string): string;
  /**
   * A fractional value as a fixed-point decimal (12 digits after the point, 38 in all), for
   * summing: decimals add exactly, so a sum does not depend on the order the engine adds
   * rows in (parallel float sums differ in their last digits from run to run).
   */
  exact(value: string): string;
  /** The value of `value` on the row with the least `order` (the least value among ties). */
  argMin(value: string, order: string): string;
  /** The answers of a group (rows matching `where`) as the engine's histogram or list. */
  answers(value: string, where: string | undefined): string;
  /** `a IS DISTINCT FROM b`, or with `not`, `a IS NOT DISTINCT FROM b`. */
  distinct(a: string, b: string, not?: boolean): string;
  /** GROUPING of several expressions as one number (bit i, counted from the last, for expression n−1−i). */
  grouping(exprs: readonly string[]): string;
  /** A table of literal rows, `alias` with the named columns. */
  valuesTable(rows: readonly string[][], columns: readonly string[], alias: string): string;
  /** Whether the tuple of `columns` is one of `rows`. */
  rowIn(columns: readonly string[], rows: readonly string[][]): string;
  /** The final text of a query (BigQuery turns the identifiers it was written with into its own). */
  finish(sql: string): string;
}

/** An ISO-8601 duration's months and days (weeks as 7 days, years as 12 months). */
export function durationParts(duration: string): { months: number; days: number } {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(duration);
  if (!m) throw new RangeError(`not an ISO-8601 duration: ${duration}`);
  const [years, months, weeks, days] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number];
  return { months: years * 12 + months, days: weeks * 7 + days };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const caseWhen = (where: string, value: string) => `CASE WHEN ${where} THEN ${value} END`;

/** An aggregate with a FILTER clause. */
const filtered = (names: Record<AggFn, string>) => (fn: AggFn, arg: string, where?: string) =>
  `${names[fn]}(${arg})${where ? ` FILTER (WHERE ${where})` : ''}`;

/** An aggregate of a CASE: rows not matching give NULL, which aggregates skip. */
const conditional = (names: Record<AggFn, string>, countIf: string) => (fn: AggFn, arg: string, where?: string) => {
  if (fn === 'count' && arg === '*') return where ? `${countIf}(${where})` : 'count(*)';
  return `${names[fn]}(${where ? caseWhen(where, arg) : arg})`;
};

/**
 * The methods whose SQL follows from the capabilities: each dialect gets the standard form
 * where it has the feature and the rewrite where it does not.
 */
function fromCapabilities(caps: Capabilities, aggregates: Record<AggFn, string>, countIf: string, decimal: string) {
  return {
    capabilities: caps,
    exact: (value: string) => `CAST(${value} AS ${decimal})`,
    ident: quote,
    table: quote,
    agg: caps.filterClause ? filtered(aggregates) : conditional(aggregates, countIf),
    distinct: (a: string, b: string, not?: boolean) => (caps.isDistinctFrom
      ? `${a} IS ${not ? 'NOT ' : ''}DISTINCT FROM ${b}`
      : `${not ? '' : 'NOT '}EQUAL_NULL(${a}, ${b})`),
    grouping: (exprs: readonly string[]) => (caps.multiArgGrouping
      ? `GROUPING(${exprs.join(', ')})`
      : exprs.map((e, i) => `GROUPING(${e})${exprs.length - 1 - i > 0 ? ` * ${2 ** (exprs.length - 1 - i)}` : ''}`).join(' + ')),
    valuesTable: (rows: readonly string[][], columns: readonly string[], alias: string) => (caps.valuesTable
      ? `(VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')}) AS ${alias}(${columns.map(quote).join(', ')})`
      : `UNNEST([${rows.map((r) => `STRUCT(${r.map((v, i) => `${v} AS ${quote(columns[i]!)}`).join(', ')})`).join(', ')}]) AS ${alias}`),
    rowIn: (columns: readonly string[], rows: readonly string[][]) => (caps.rowValueIn
      ? `(${columns.join(', ')}) IN (VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')})`
      : `(${rows.map((r) => `(${r.map((v, i) => `${columns[i]} = ${v}`).join(' AND ')})`).join(' OR ')})`),
    bitAnd: (a: string, b: string) => `(${a} & ${b})`,
    bitOr: (a: string, b: string) => `(${a} | ${b})`,
    finish: (sql: string) => sql,
  };
}

const DUCKDB_TYPES: Record<ColumnSpec['type'], string> = {
  string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP',
};

export const duckdb: Dialect = {
  ...fromCapabilities(
    { filterClause: true, groupingSets: true, multiArgGrouping: true, rowValueIn: true, valuesTable: true, isDistinctFrom: true, notMaterialized: true },
    { count: 'count', sum: 'sum', min: 'min', max: 'max', bool_or: 'bool_or', bit_or: 'bit_or', any: 'any_value' }, 'count_if', 'DECIMAL(38, 12)'),
  name: 'duckdb',
  // DuckDB infers parameter types from their use; dates and timestamps are cast so text compares as time.
  param: (index, type) => (type === 'date' || type === 'timestamp' ? `CAST($${index} AS ${DUCKDB_TYPES[type]})` : `$${index}`),
  type: (t) => DUCKDB_TYPES[t],
  periodStart: (grain, ts, shift) => {
    const t = `CAST(${ts} AS TIMESTAMP)`;
    if (grain === 'quarter') return `(date_trunc('quarter', ${t} - to_months(CAST(${shift} AS INTEGER))) + to_months(CAST(${shift} AS INTEGER)))`;
    return `date_trunc('${grain === 'week' ? 'week' : 'month'}', ${t})`;
  },
  truncate: (unit, ts) => `date_trunc('${unit}', ${ts})`,
  epochMs: (ts) => `epoch_ms(CAST(${ts} AS TIMESTAMP))`,
  plusDuration: (ts, duration, bind) => {
    const { months, days } = durationParts(duration);
    return `(CAST(${ts} AS TIMESTAMP) + CAST(${bind(`${months} months ${days} days`, 'string')} AS INTERVAL))`;
  },
  plusDays: (ts, days) => `(${ts} + INTERVAL ${days} DAY)`,
  daysBetween: (from, to) => `date_diff('day', CAST(${from} AS TIMESTAMP), CAST(${to} AS TIMESTAMP))`,
  monthsBetween: (from, to) => `date_diff('month', ${from}, ${to})`,
  bitCount: (bits) => `bit_count(${bits})`,
  bit: (n) => `(CAST(1 AS BIGINT) << ${n})`,
  argMin: (value, order) => `arg_min(${value}, ${order})`,
  answers: (value, where) => `histogram(CAST(${value} AS DOUBLE))${where ? ` FILTER (WHERE ${where})` : ''}`,
};

const POSTGRES_TYPES: Record<ColumnSpec['type'], string> = {
  string: 'TEXT', integer: 'BIGINT', number: 'DOUBLE PRECISION', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP',
};

export const postgres: Dialect = {
  // PostgreSQL 15 has no any_value: equal values have one minimum.
  ...fromCapabilities(
    { filterClause: true, groupingSets: true, multiArgGrouping: true, rowValueIn: true, valuesTable: true, isDistinctFrom: true, notMaterialized: true },
    { count: 'count', sum: 'sum', min: 'min', max: 'max', bool_or: 'bool_or', bit_or: 'bit_or', any: 'min' }, 'count_if', 'NUMERIC(38, 12)'),
  name: 'postgres',
  // Every parameter typed: an untyped one next to an integer would make `/` an integer division.
  param: (index, type) => `CAST($${index} AS ${POSTGRES_TYPES[type]})`,
  type: (t) => POSTGRES_TYPES[t],
  periodStart: (grain, ts, shift) => {
    const t = `CAST(${ts} AS TIMESTAMP)`;
    if (grain === 'quarter') return `(date_trunc('quarter', ${t} - make_interval(months => CAST(${shift} AS INTEGER))) + make_interval(months => CAST(${shift} AS INTEGER)))`;
    return `date_trunc('${grain === 'week' ? 'week' : 'month'}', ${t})`;
  },
  truncate: (unit, ts) => `date_trunc('${unit}', ${ts})`,
  epochMs: (ts) => `CAST(EXTRACT(EPOCH FROM CAST(${ts} AS TIMESTAMP)) * 1000 AS BIGINT)`,
  plusDuration: (ts, duration, bind) => {
    const { months, days } = durationParts(duration);
    return `(CAST(${ts} AS TIMESTAMP) + make_interval(months => CAST(${bind(months, 'integer')} AS INTEGER), days => CAST(${bind(days, 'integer')} AS INTEGER)))`;
  },
  plusDays: (ts, days) => `(${ts} + INTERVAL '${days} days')`,
  daysBetween: (from, to) => `(CAST(CAST(${to} AS TIMESTAMP) AS DATE) - CAST(CAST(${from} AS TIMESTAMP) AS DATE))`,
  monthsBetween: (from, to) => `CAST((EXTRACT(YEAR FROM ${to}) - EXTRACT(YEAR FROM ${from})) * 12 + EXTRACT(MONTH FROM ${to}) - EXTRACT(MONTH FROM ${from}) AS INTEGER)`,
  bitCount: (bits) => `bit_count(CAST(${bits} AS BIT(64)))`,
  bit: (n) => `(CAST(1 AS BIGINT) << ${n})`,
  argMin: (value, order) => `(array_agg(${value} ORDER BY ${order}, ${value}))[1]`,
  answers: (value, where) => `array_agg(CAST(${value} AS DOUBLE PRECISION))${where ? ` FILTER (WHERE ${where})` : ''}`,
  // IS NOT DISTINCT FROM cannot drive a hash join in PostgreSQL (a join on it is a nested
  // loop): compare the values' text with NULL as '' and tell NULL from '' apart.
  distinct: (a, b, not) => (not
    ? `(COALESCE(CAST(${a} AS TEXT), '') = COALESCE(CAST(${b} AS TEXT), '') AND (${a} IS NULL) = (${b} IS NULL))`
    : `${a} IS DISTINCT FROM ${b}`),
};

const SNOWFLAKE_TYPES: Record<ColumnSpec['type'], string> = {
  string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP_NTZ',
};

/** Sum of the bits below `width`, for engines without a bit-count function. */
const bitsAdded = (bitAnd: (a: string, b: string) => string, bits: string, width: number) =>
  `(${Array.from({ length: Math.max(width, 1) }, (_x, i) => `CASE WHEN ${bitAnd(bits, String(2 ** i))} <> 0 THEN 1 ELSE 0 END`).join(' + ')})`;

/** Monday of the ISO week, whatever the session's WEEK_START (which DATE_TRUNC('WEEK') follows). */
const isoWeekStart = (ts: string) => `DATEADD(day, 1 - DAYOFWEEKISO(${ts}), DATE_TRUNC('DAY', ${ts}))`;

export const snowflake: Dialect = {
  // GROUPING SETS and IS DISTINCT FROM are Snowflake SQL, but not SQL its checker (node-sql-parser) reads.
  ...fromCapabilities(
    { filterClause: false, groupingSets: false, multiArgGrouping: true, rowValueIn: false, valuesTable: true, isDistinctFrom: false, notMaterialized: false },
    { count: 'count', sum: 'sum', min: 'min', max: 'max', bool_or: 'BOOLOR_AGG', bit_or: 'BITOR_AGG', any: 'ANY_VALUE' }, 'COUNT_IF', 'NUMBER(38, 12)'),
  name: 'snowflake',
  param: (index, type) => (type === 'date' || type === 'timestamp' || type === 'integer' || type === 'number' ? `CAST(:${index} AS ${SNOWFLAKE_TYPES[type]})` : `:${index}`),
  type: (t) => SNOWFLAKE_TYPES[t],
  periodStart: (grain, ts, shift) => {
    const t = `CAST(${ts} AS TIMESTAMP_NTZ)`;
    if (grain === 'quarter') return `DATEADD(month, CAST(${shift} AS INTEGER), DATE_TRUNC('QUARTER', DATEADD(month, -CAST(${shift} AS INTEGER), ${t})))`;
    return grain === 'week' ? isoWeekStart(t) : `DATE_TRUNC('MONTH', ${t})`;
  },
  truncate: (unit, ts) => (unit === 'week' ? isoWeekStart(ts) : `DATE_TRUNC('${unit.toUpperCase()}', ${ts})`),
  epochMs: (ts) => `DATE_PART(epoch_millisecond, CAST(${ts} AS TIMESTAMP_NTZ))`,
  plusDuration: (ts, duration, bind) => {
    const { months, days } = durationParts(duration);
    return `DATEADD(day, ${bind(days, 'integer')}, DATEADD(month, ${bind(months, 'integer')}, CAST(${ts} AS TIMESTAMP_NTZ)))`;
  },
  plusDays: (ts, days) => `DATEADD(day, ${days}, ${ts})`,
  daysBetween: (from, to) => `DATEDIFF(day, CAST(${from} AS TIMESTAMP_NTZ), CAST(${to} AS TIMESTAMP_NTZ))`,
  monthsBetween: (from, to) => `DATEDIFF(month, ${from}, ${to})`,
  bitCount: (bits, width) => bitsAdded((a, b) => `BITAND(${a}, ${b})`, bits, width),
  bit: (n) => `BITSHIFTLEFT(CAST(1 AS BIGINT), ${n})`,
  bitAnd: (a, b) => `BITAND(${a}, ${b})`,
  bitOr: (a, b) => `BITOR(${a}, ${b})`,
  argMin: (value, order) => `MIN_BY(${value}, ${order})`,
  answers: (value, where) => `ARRAY_AGG(${where ? caseWhen(where, `CAST(${value} AS DOUBLE)`) : `CAST(${value} AS DOUBLE)`})`,
};

const BIGQUERY_TYPES: Record<ColumnSpec['type'], string> = {
  string: 'STRING', integer: 'INT64', number: 'FLOAT64', boolean: 'BOOL', date: 'DATE', timestamp: 'DATETIME',
};

/** BigQuery column names are letters, digits and underscores: `kpi:component` becomes `kpi__component`. */
export const bigqueryName = (name: string) => name.replace(/:/g, '__').replace(/#/g, '_x_').replace(/[^A-Za-z0-9_]/g, '_');

/**
 * Rewrites the double-quoted identifiers the compiler writes into BigQuery's backticks
 * (with BigQuery-safe names), leaving single-quoted literals as they are.
 */
function backticks(sql: string): string {
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'") {
      const end = sql.indexOf("'", i + 1);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let name = '';
      for (; j < sql.length; j++) {
        if (sql[j] === '"' && sql[j + 1] === '"') { name += '"'; j++; } else if (sql[j] === '"') break;
        else name += sql[j];
      }
      out += `\`${bigqueryName(name)}\``;
      i = j;
    } else out += c;
  }
  return out;
}

export const bigquery: Dialect = {
  ...fromCapabilities(
    { filterClause: false, groupingSets: true, multiArgGrouping: false, rowValueIn: false, valuesTable: false, isDistinctFrom: true, notMaterialized: false },
    { count: 'count', sum: 'sum', min: 'min', max: 'max', bool_or: 'LOGICAL_OR', bit_or: 'BIT_OR', any: 'ANY_VALUE' }, 'COUNTIF', 'BIGNUMERIC'),
  name: 'bigquery',
  // Timestamps are bound as ISO text ending in Z, which a TIMESTAMP reads and a DATETIME would refuse.
  param: (index, type) => (type === 'string' || type === 'boolean' ? `@p${index}` : type === 'timestamp' ? `DATETIME(TIMESTAMP(@p${index}))` : `CAST(@p${index} AS ${BIGQUERY_TYPES[type]})`),
  type: (t) => BIGQUERY_TYPES[t],
  // Times are DATETIME (UTC without a zone), which truncates to ISO weeks and adds months.
  periodStart: (grain, ts, shift) => {
    const t = `CAST(${ts} AS DATETIME)`;
    if (grain === 'quarter') return `DATETIME_ADD(DATETIME_TRUNC(DATETIME_SUB(${t}, INTERVAL CAST(${shift} AS INT64) MONTH), QUARTER), INTERVAL CAST(${shift} AS INT64) MONTH)`;
    return `DATETIME_TRUNC(${t}, ${grain === 'week' ? 'ISOWEEK' : 'MONTH'})`;
  },
  truncate: (unit, ts) => `DATETIME_TRUNC(CAST(${ts} AS DATETIME), ${unit === 'week' ? 'ISOWEEK' : unit.toUpperCase()})`,
  epochMs: (ts) => `UNIX_MILLIS(TIMESTAMP(CAST(${ts} AS DATETIME)))`,
  plusDuration: (ts, duration, bind) => {
    const { months, days } = durationParts(duration);
    return `DATETIME_ADD(DATETIME_ADD(CAST(${ts} AS DATETIME), INTERVAL ${bind(months, 'integer')} MONTH), INTERVAL ${bind(days, 'integer')} DAY)`;
  },
  plusDays: (ts, days) => `DATETIME_ADD(${ts}, INTERVAL ${days} DAY)`,
  daysBetween: (from, to) => `DATETIME_DIFF(CAST(${to} AS DATETIME), CAST(${from} AS DATETIME), DAY)`,
  monthsBetween: (from, to) => `DATETIME_DIFF(CAST(${to} AS DATETIME), CAST(${from} AS DATETIME), MONTH)`,
  bitCount: (bits) => `BIT_COUNT(${bits})`,
  bit: (n) => `(1 << ${n})`,
  argMin: (value, order) => `MIN_BY(${value}, ${order})`,
  answers: (value, where) => `ARRAY_AGG(${where ? caseWhen(where, `CAST(${value} AS FLOAT64)`) : `CAST(${value} AS FLOAT64)`} IGNORE NULLS)`,
  finish: backticks,
};

/** Where a source lives in a warehouse: a schema and a table or view name, both plain identifiers. */
export interface TableMap {
  schema?: string;
  tables?: Readonly<Record<string, string>>;
}

/** The dialect reading each source from its mapped warehouse table (quoted like any identifier). */
export function withTables(dialect: Dialect, map: TableMap): Dialect {
  const name = (source: string) => map.tables?.[source] ?? source;
  return { ...dialect, table: (source) => (map.schema ? `${dialect.ident(map.schema)}.${dialect.ident(name(source))}` : dialect.ident(name(source))) };
}

export const DIALECTS = { duckdb, postgres, snowflake, bigquery } as const;
export type DialectName = keyof typeof DIALECTS;
