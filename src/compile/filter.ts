import type { Comparison, Filter, Scalar } from '../spec/filter.js';
import type { ColumnSpec } from '../spec/project.js';
import type { Dialect } from './dialects/index.js';

/** A column as the compiler may use it: its SQL (already qualified and quoted) and its type. */
export interface SqlColumn {
  sql: string;
  type: ColumnSpec['type'];
}

/** Collects bound values; returns each one's placeholder. Values never become SQL text. */
export class Parameters {
  readonly values: Scalar[] = [];
  constructor(readonly dialect: Dialect) {}
  bind(value: Scalar, type: ColumnSpec['type']): string {
    this.values.push(value);
    return this.dialect.param(this.values.length, type);
  }
}


function equals(column: SqlColumn, value: Scalar, params: Parameters): string {
  return value === null ? `${column.sql} IS NULL` : `${column.sql} = ${params.bind(value, column.type)}`;
}

function oneOf(column: SqlColumn, values: readonly Scalar[], params: Parameters): string {
  const present = values.filter((v) => v !== null);
  const inList = present.length > 0 ? `${column.sql} IN (${present.map((v) => params.bind(v, column.type)).join(', ')})` : 'FALSE';
  return present.length < values.length ? `(${inList} OR ${column.sql} IS NULL)` : inList;
}

function comparison(column: SqlColumn, c: Comparison, params: Parameters): string {
  const parts: string[] = [];
  const ordered = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
  if (c.eq !== undefined) parts.push(equals(column, c.eq, params));
  // "Different" counts a missing value as different: IS DISTINCT FROM, and NULL is not among not_in's values.
  if (c.ne !== undefined) parts.push(params.dialect.distinct(column.sql, c.ne === null ? 'NULL' : params.bind(c.ne, column.type)));
  if (c.in !== undefined) parts.push(oneOf(column, c.in, params));
  if (c.not_in !== undefined) parts.push(`NOT COALESCE(${oneOf(column, c.not_in, params)}, FALSE)`);
  for (const [key, op] of Object.entries(ordered)) {
    const value = c[key as keyof typeof ordered];
    if (value !== undefined) parts.push(`${column.sql} ${op} ${params.bind(value, column.type)}`);
  }
  if (c.is_null !== undefined) parts.push(`${column.sql} IS ${c.is_null ? '' : 'NOT '}NULL`);
  return parts.join(' AND ');
}

/**
 * Compiles a structured filter to a SQL predicate that is never NULL: a row matches or it
 * does not (so `not` of a filter on a missing value is true). Column names are resolved by
 * the caller from declared sources only; every value is a bound parameter.
 */
export function compileFilter(filter: Filter, resolve: (column: string) => SqlColumn, params: Parameters): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'all') parts.push(`(${(value as Filter[]).map((f) => compileFilter(f, resolve, params)).join(' AND ')})`);
    else if (key === 'any') parts.push(`(${(value as Filter[]).map((f) => compileFilter(f, resolve, params)).join(' OR ')})`);
    else if (key === 'not') parts.push(`NOT ${compileFilter(value as Filter, resolve, params)}`);
    else {
      const column = resolve(key);
      if (Array.isArray(value)) parts.push(oneOf(column, value as Scalar[], params));
      else if (value !== null && typeof value === 'object') parts.push(comparison(column, value as Comparison, params));
      else parts.push(equals(column, value as Scalar, params));
    }
  }
  return parts.length === 0 ? 'TRUE' : `COALESCE(${parts.join(' AND ')}, FALSE)`;
}
