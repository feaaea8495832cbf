import type { Grain } from '../../spec/common.js';
import { checkedDuration } from '../../model/duration.js';
import type { ColumnModel } from '../../model/project-model.js';

/** Aggregates the compiler uses; `any` is any one value of a group whose values are all equal. */
export type AggFn = 'count' | 'sum' | 'min' | 'max' | 'bool_or' | 'bit_or' | 'any';

/** Binds a value as a parameter of the query being written and returns its placeholder. */
export type Bind = (value: string | number, type: ColumnModel['type']) => string;

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
  /**
   * A correlated `EXISTS` computed per row (a `followed_by` condition) is turned into a join
   * by the engine; without it, the rows are joined to the set of (HCP, start) pairs that
   * qualify, computed once (PostgreSQL would run the `EXISTS` once per row).
   */
  decorrelatesExists: boolean;
  /**
   * An inner join with an empty side reads nothing of the other (DuckDB's hash join). Without
   * it, a branch that nearly always joins to nothing (touches on several brands) is guarded by
   * an uncorrelated `EXISTS`, which PostgreSQL evaluates once before running the branch: it
   * had sorted 5.6M interactions for such a join, half the interactions scan's time.
   */
  emptyJoinReadsNothing: boolean;
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
  param(index: number, type: ColumnModel['type']): string;
  /** The engine's name of a column type. */
  type(type: ColumnModel['type']): string;
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
  const { years, months, weeks, days } = checkedDuration(duration);
  return { months: years * 12 + months, days: weeks * 7 + days };
}

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const caseWhen = (where: string, value: string) => `CASE WHEN ${where} THEN ${value} END`;

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
export function fromCapabilities(caps: Capabilities, aggregates: Record<AggFn, string>, countIf: string, decimal: string) {
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
