import type { ColumnModel } from '../../model/project-model.js';
import { durationParts, fromCapabilities, type Dialect } from './dialect.js';

export const POSTGRES_TYPES: Record<ColumnModel['type'], string> = {
  string: 'TEXT', integer: 'BIGINT', number: 'DOUBLE PRECISION', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP',
};

export const postgres: Dialect = {
  // PostgreSQL 15 has no any_value: equal values have one minimum.
  ...fromCapabilities(
    { filterClause: true, groupingSets: true, multiArgGrouping: true, rowValueIn: true, valuesTable: true, isDistinctFrom: true, notMaterialized: true, decorrelatesExists: false, emptyJoinReadsNothing: false },
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
