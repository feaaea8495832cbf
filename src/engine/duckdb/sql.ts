import type { ColumnSpec } from '../../spec/project.js';

/** Quotes an identifier (table or column name) so no name can break out of it. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Internal table names never collide with the project's (which are lower-case ids without `$`). */
export const rawTable = (name: string) => ident(`raw$${name}`);
export const stagedTable = (name: string) => ident(`staged$${name}`);

export const SQL_TYPES: Record<ColumnSpec['type'], string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

/**
 * The SQL converting a raw value to a column's declared type, or NULL when it does not
 * convert: a value that becomes NULL here was mistyped. Integers must be whole (TRY_CAST
 * would round 1.5 to 2); timestamps with an offset are converted to UTC, not truncated.
 * `format` is bound as parameter `$formatParam` when given.
 */
export function typedExpression(raw: string, type: ColumnSpec['type'], formatParam?: number): string {
  switch (type) {
    case 'string':
      return `CAST(${raw} AS VARCHAR)`;
    case 'integer':
      return `CASE WHEN TRY_CAST(${raw} AS DOUBLE) = TRUNC(TRY_CAST(${raw} AS DOUBLE)) THEN TRY_CAST(${raw} AS BIGINT) END`;
    case 'number':
      return `TRY_CAST(${raw} AS DOUBLE)`;
    case 'boolean':
      return `TRY_CAST(${raw} AS BOOLEAN)`;
    case 'date':
      return formatParam ? `CAST(try_strptime(CAST(${raw} AS VARCHAR), $${formatParam}) AS DATE)` : `TRY_CAST(${raw} AS DATE)`;
    case 'timestamp':
      return formatParam
        ? `try_strptime(CAST(${raw} AS VARCHAR), $${formatParam})`
        : `CAST(TRY_CAST(${raw} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)`;
  }
}

/**
 * File column types that convert to a declared type without any possible loss or failure
 * (so no per-value check is needed): narrower integers to BIGINT, floats to DOUBLE,
 * timestamp precisions to TIMESTAMP.
 */
const LOSSLESS: Record<ColumnSpec['type'], readonly string[]> = {
  string: ['VARCHAR'],
  integer: ['BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'UINTEGER', 'USMALLINT', 'UTINYINT'],
  number: ['DOUBLE', 'FLOAT', 'INTEGER', 'SMALLINT', 'TINYINT'],
  boolean: ['BOOLEAN'],
  date: ['DATE'],
  timestamp: ['TIMESTAMP', 'TIMESTAMP_MS', 'TIMESTAMP_S', 'TIMESTAMP_NS'],
};

export const convertsLosslessly = (fileType: string | undefined, type: ColumnSpec['type']) => fileType !== undefined && LOSSLESS[type].includes(fileType);
