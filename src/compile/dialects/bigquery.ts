import type { ColumnModel } from '../../model/project-model.js';
import { caseWhen, durationParts, fromCapabilities, type Dialect } from './dialect.js';

const BIGQUERY_TYPES: Record<ColumnModel['type'], string> = {
  string: 'STRING', integer: 'INT64', number: 'FLOAT64', boolean: 'BOOL', date: 'DATE', timestamp: 'DATETIME',
};

/** BigQuery column names are letters, digits and underscores: `kpi:component` becomes `kpi__component`. */
export const bigqueryName = (name: string) => name.replace(/:/g, '__').replace(/#/g, '_x_').replace(/[^A-Za-z0-9_]/g, '_');

/**
 * Rewrites the double-quoted identifiers the compiler writes into BigQuery's backticks
 * (with BigQuery-safe names), leaving single-quoted literals as they are.
 */
function backticks(sql: string): string {
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'") {
      const end = sql.indexOf("'", i + 1);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let name = '';
      for (; j < sql.length; j++) {
        if (sql[j] === '"' && sql[j + 1] === '"') { name += '"'; j++; } else if (sql[j] === '"') break;
        else name += sql[j];
      }
      out += `\`${bigqueryName(name)}\``;
      i = j;
    } else out += c;
  }
  return out;
}

export const bigquery: Dialect = {
  ...fromCapabilities(
    { filterClause: false, groupingSets: true, multiArgGrouping: false, rowValueIn: false, valuesTable: false, isDistinctFrom: true, notMaterialized: false, decorrelatesExists: true, emptyJoinReadsNothing: false },
    { count: 'count', sum: 'sum', min: 'min', max: 'max', bool_or: 'LOGICAL_OR', bit_or: 'BIT_OR', any: 'ANY_VALUE' }, 'COUNTIF', 'BIGNUMERIC'),
  name: 'bigquery',
  // Timestamps are bound as ISO text ending in Z, which a TIMESTAMP reads and a DATETIME would refuse.
  param: (index, type) => (type === 'string' || type === 'boolean' ? `@p${index}` : type === 'timestamp' ? `DATETIME(TIMESTAMP(@p${index}))` : `CAST(@p${index} AS ${BIGQUERY_TYPES[type]})`),
  type: (t) => BIGQUERY_TYPES[t],
  // Times are DATETIME (UTC without a zone), which truncates to ISO weeks and adds months.
  periodStart: (grain, ts, shift) => {
    const t = `CAST(${ts} AS DATETIME)`;
    if (grain === 'quarter') return `DATETIME_ADD(DATETIME_TRUNC(DATETIME_SUB(${t}, INTERVAL CAST(${shift} AS INT64) MONTH), QUARTER), INTERVAL CAST(${shift} AS INT64) MONTH)`;
    return `DATETIME_TRUNC(${t}, ${grain === 'week' ? 'ISOWEEK' : 'MONTH'})`;
  },
  truncate: (unit, ts) => `DATETIME_TRUNC(CAST(${ts} AS DATETIME), ${unit === 'week' ? 'ISOWEEK' : unit.toUpperCase()})`,
  epochMs: (ts) => `UNIX_MILLIS(TIMESTAMP(CAST(${ts} AS DATETIME)))`,
  plusDuration: (ts, duration, bind) => {
    const { months, days } = durationParts(duration);
    return `DATETIME_ADD(DATETIME_ADD(CAST(${ts} AS DATETIME), INTERVAL ${bind(months, 'integer')} MONTH), INTERVAL ${bind(days, 'integer')} DAY)`;
  },
  plusDays: (ts, days) => `DATETIME_ADD(${ts}, INTERVAL ${days} DAY)`,
  daysBetween: (from, to) => `DATETIME_DIFF(CAST(${to} AS DATETIME), CAST(${from} AS DATETIME), DAY)`,
  monthsBetween: (from, to) => `DATETIME_DIFF(CAST(${to} AS DATETIME), CAST(${from} AS DATETIME), MONTH)`,
  bitCount: (bits) => `BIT_COUNT(${bits})`,
  bit: (n) => `(1 << ${n})`,
  argMin: (value, order) => `MIN_BY(${value}, ${order})`,
  answers: (value, where) => `ARRAY_AGG(${where ? caseWhen(where, `CAST(${value} AS FLOAT64)`) : `CAST(${value} AS FLOAT64)`} IGNORE NULLS)`,
  finish: backticks,
};
