import type { Grain } from '../spec/common.js';
import type { ColumnSpec } from '../spec/project.js';

/**
 * What differs between SQL engines, so the compiler writes one plan for all of them.
 * DuckDB is implemented; PostgreSQL, Snowflake and BigQuery come with warehouse mode.
 * Every method returns SQL text built only from its arguments, which are SQL the compiler
 * wrote itself or parameter placeholders.
 */
export interface Dialect {
  name: 'duckdb';
  /** A quoted identifier: no name can break out of it. */
  ident(name: string): string;
  /** The placeholder of the n-th bound parameter (1-based). */
  param(index: number): string;
  /** A placeholder cast to a column type, so a bound text compares as a date or timestamp. */
  typedParam(index: number, type: ColumnSpec['type']): string;
  /**
   * The start of the period of `grain` holding a timestamp, in UTC. `fiscalShift` is the
   * placeholder of a bound integer: months between January and the fiscal year's start.
   */
  periodStart(grain: Grain, timestamp: string, fiscalShift: string): string;
  /** Milliseconds since 1970 of a timestamp (how periods leave the engine). */
  epochMs(timestamp: string): string;
  /** A timestamp plus an interval given as bound text such as `30 days`. */
  plusInterval(timestamp: string, interval: string): string;
  /** Whole days from one timestamp to another. */
  daysBetween(from: string, to: string): string;
  /** Number of set bits of a BIGINT (channels engaged, as a bit set). */
  bitCount(bits: string): string;
}

const DUCKDB_TYPES: Record<ColumnSpec['type'], string> = {
  string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP',
};

export const duckdb: Dialect = {
  name: 'duckdb',
  ident: (name) => `"${name.replace(/"/g, '""')}"`,
  param: (index) => `$${index}`,
  typedParam: (index, type) => `CAST($${index} AS ${DUCKDB_TYPES[type]})`,
  periodStart: (grain, ts, shift) => {
    const t = `CAST(${ts} AS TIMESTAMP)`;
    if (grain === 'quarter') return `(date_trunc('quarter', ${t} - to_months(CAST(${shift} AS INTEGER))) + to_months(CAST(${shift} AS INTEGER)))`;
    return `date_trunc('${grain === 'week' ? 'week' : 'month'}', ${t})`;
  },
  epochMs: (ts) => `epoch_ms(CAST(${ts} AS TIMESTAMP))`,
  plusInterval: (ts, interval) => `(CAST(${ts} AS TIMESTAMP) + CAST(${interval} AS INTERVAL))`,
  daysBetween: (from, to) => `date_diff('day', CAST(${from} AS TIMESTAMP), CAST(${to} AS TIMESTAMP))`,
  bitCount: (bits) => `bit_count(${bits})`,
};
