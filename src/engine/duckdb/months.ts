import type { ExportColumnModel } from '../../model/project-model.js';
import { readsColumn, type ExportPart } from './export-columns.js';
import { ident } from './sql.js';
import type { Statement } from './statement.js';

type MonthsBefore = NonNullable<ExportColumnModel['months_before']>;

/** The export columns a `months_before` mapping reads. */
export const monthsBeforeReads = (m: MonthsBefore): string[] => [m.from, ...(typeof m.months === 'object' ? [m.months.from] : [])];

/**
 * The first day of the month `months` before the month of `from`, as ISO text (raw values
 * are text until typed). A date that does not read comes out as written, so the type check
 * reports it with the value; a number of months that is missing or not mapped makes the month
 * empty, which the key and null checks report.
 */
export function monthsBeforeExpression(part: ExportPart, m: MonthsBefore, stmt: Statement): string {
  // Either column may be the unpivot's melted value or name (a period column's name, typically).
  const column = (c: string) => `r.${ident(readsColumn(part, c))}`;
  const text = `CAST(${column(m.from)} AS VARCHAR)`;
  const day = m.format ? `CAST(try_strptime(${text}, ${stmt.bind(m.format)}) AS DATE)` : `TRY_CAST(${text} AS DATE)`;
  const months = typeof m.months === 'number'
    ? String(m.months)
    : m.months.map
      ? `CASE CAST(${column(m.months.from)} AS VARCHAR) ${Object.entries(m.months.map).map(([k, v]) => `WHEN ${stmt.bind(k)} THEN ${Number(v)}`).join(' ')} END`
      : `TRY_CAST(CAST(${column(m.months.from)} AS VARCHAR) AS INTEGER)`;
  return `CASE WHEN ${day} IS NULL THEN ${text} ELSE strftime(date_trunc('month', ${day}) - to_months(${months}), '%Y-%m-%d') END`;
}
