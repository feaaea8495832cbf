import type { ColumnModel } from '../../model/project-model.js';
import { caseWhen, durationParts, fromCapabilities, type Dialect } from './dialect.js';

const SNOWFLAKE_TYPES: Record<ColumnModel['type'], string> = {
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
    { filterClause: false, groupingSets: false, multiArgGrouping: true, rowValueIn: false, valuesTable: true, isDistinctFrom: false, notMaterialized: false, decorrelatesExists: false, emptyJoinReadsNothing: false },
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
