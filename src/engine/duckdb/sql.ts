import { DUCKDB_TYPES, duckdb } from '../../compile/dialects/duckdb.js';
import type { ColumnModel } from '../../model/project-model.js';

/** Quotes an identifier (table or column name) so no name can break out of it: the DuckDB dialect's quoting. */
export const ident = duckdb.ident;

/** Internal table names never collide with the project's (which are lower-case ids without `$`). */
export const rawTable = (name: string) => ident(`raw$${name}`);
export const stagedTable = (name: string) => ident(`staged$${name}`);

/** The DuckDB type of each declared column type, as the dialect names it. */
export const SQL_TYPES = DUCKDB_TYPES;

/**
 * What text each type accepts, strictly: no thousands separators or `1_0`, no NaN or
 * infinity, ISO dates only, and timestamps either without an offset (UTC) or with `Z` or
 * a numeric offset; never a named zone (and DuckDB 1.5.5 would let a named zone leak into
 * later rows).
 */
const TEXT_FORMS: Record<ColumnModel['type'], string | undefined> = {
  string: undefined,
  integer: '[+-]?[0-9]+(\\.0+)?',
  number: '[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?',
  boolean: '(?i)(true|false|1|0)',
  date: '[0-9]{4}-[0-9]{2}-[0-9]{2}',
  timestamp: '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?)?',
};
const OFFSET = '(Z|[+-][0-9]{2}(:?[0-9]{2})?)';

/**
 * The SQL converting a raw value to a column's declared type, or NULL when it does not
 * convert: a value that becomes NULL here was mistyped, never silently changed. Integers
 * must be whole (TRY_CAST would round 1.5 to 2); timestamps with an offset are converted to
 * UTC, not truncated. `formatParam` is the placeholder number of a strptime format.
 */
export function typedExpression(raw: string, type: ColumnModel['type'], formatParam?: number): string {
  const text = `CAST(${raw} AS VARCHAR)`;
  const matches = (form: string) => `regexp_full_match(${text}, '${form}')`;
  switch (type) {
    case 'string':
      return text;
    case 'integer':
      return `CASE WHEN ${matches(TEXT_FORMS.integer!)} THEN TRY_CAST(TRY_CAST(${text} AS DECIMAL(38, 10)) AS BIGINT) END`;
    case 'number':
      return `CASE WHEN ${matches(TEXT_FORMS.number!)} THEN TRY_CAST(${text} AS DOUBLE) END`;
    case 'boolean':
      return `CASE WHEN ${matches(TEXT_FORMS.boolean!)} THEN TRY_CAST(${text} AS BOOLEAN) END`;
    case 'date':
      return formatParam ? `CAST(try_strptime(${text}, $${formatParam}) AS DATE)` : `CASE WHEN ${matches(TEXT_FORMS.date!)} THEN TRY_CAST(${text} AS DATE) END`;
    case 'timestamp':
      if (formatParam) return `CAST(try_strptime(${text}, $${formatParam}) AS TIMESTAMP)`;
      return `CASE WHEN ${matches(TEXT_FORMS.timestamp!)} THEN TRY_CAST(${text} AS TIMESTAMP)
        WHEN ${matches(TEXT_FORMS.timestamp! + '\\s*' + OFFSET)} THEN CAST(TRY_CAST(${text} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) END`;
  }
}

/**
 * File column types that convert to a declared type without any possible loss or failure
 * (so no per-value check is needed): narrower integers to BIGINT, floats to DOUBLE,
 * timestamp precisions to TIMESTAMP.
 */
const LOSSLESS: Record<ColumnModel['type'], readonly string[]> = {
  string: ['VARCHAR'],
  integer: ['BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'UINTEGER', 'USMALLINT', 'UTINYINT'],
  number: ['DOUBLE', 'FLOAT', 'INTEGER', 'SMALLINT', 'TINYINT'],
  boolean: ['BOOLEAN'],
  date: ['DATE'],
  timestamp: ['TIMESTAMP', 'TIMESTAMP_MS', 'TIMESTAMP_S', 'TIMESTAMP_NS'],
};

export const convertsLosslessly = (fileType: string | undefined, type: ColumnModel['type']) => fileType !== undefined && LOSSLESS[type].includes(fileType);
