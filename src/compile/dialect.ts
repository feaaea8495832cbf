import type { ColumnSpec } from '../spec/project.js';

/**
 * What differs between SQL engines, so the compiler writes one plan for all of them.
 * DuckDB is implemented; PostgreSQL, Snowflake and BigQuery come with warehouse mode.
 */
export interface Dialect {
  name: 'duckdb';
  /** A quoted identifier: no name can break out of it. */
  ident(name: string): string;
  /** The placeholder of the n-th bound parameter (1-based). */
  param(index: number): string;
  /** A placeholder cast to a column type, so a bound text compares as a date or timestamp. */
  typedParam(index: number, type: ColumnSpec['type']): string;
}

const DUCKDB_TYPES: Record<ColumnSpec['type'], string> = {
  string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP',
};

export const duckdb: Dialect = {
  name: 'duckdb',
  ident: (name) => `"${name.replace(/"/g, '""')}"`,
  param: (index) => `$${index}`,
  typedParam: (index, type) => `CAST($${index} AS ${DUCKDB_TYPES[type]})`,
};
