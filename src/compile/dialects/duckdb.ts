import type { ColumnModel } from '../../model/project-model.js';
import { durationParts, fromCapabilities, type Dialect } from './dialect.js';

export const DUCKDB_TYPES: Record<ColumnModel['type'], string> = {
  string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP',
};

export const duckdb: Dialect = {
  ...fromCapabilities(
    { filterClause: true, groupingSets: true, multiArgGrouping: true, rowValueIn: true, valuesTable: true, isDistinctFrom: true, notMaterialized: true, decorrelatesExists: true, emptyJoinReadsNothing: true },
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
