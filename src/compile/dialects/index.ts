import { bigquery } from './bigquery.js';
import type { Dialect } from './dialect.js';
import { duckdb } from './duckdb.js';
import { postgres } from './postgres.js';
import { snowflake } from './snowflake.js';

export * from './dialect.js';
export { duckdb } from './duckdb.js';
export { postgres } from './postgres.js';
export { snowflake } from './snowflake.js';
export { bigquery, bigqueryName } from './bigquery.js';

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
