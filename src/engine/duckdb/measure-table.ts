import type { ExportColumnModel, UnpivotModel } from '../../model/project-model.js';
import type { Database } from './database.js';
import { readTable, type TableFormat } from './load-files.js';
import type { InvalidBytes, SnapshotFiles } from './snapshot-files.js';
import { convertsLosslessly, rawTable, SQL_TYPES, typedExpression } from './sql.js';
import { relation, type ExportPart } from './export-columns.js';
import { columnsRead, rawExpression } from './stage.js';
import { Statement } from './statement.js';

/** A table's time column as loading types it: the source's column, through the export's mapping when the table is an export. */
export interface TimeColumn {
  column: string;
  type: 'date' | 'timestamp';
  /** For an export: how the column is mapped (undefined: read by its own name). */
  mapping?: ExportColumnModel;
  /** The export's null tokens and unpivot: the time is read from the rows loading reads. */
  nullValues?: string[];
  unpivot?: UnpivotModel;
}

/** What sealing needs to know of a table file. */
export interface Measure {
  rows: number;
  /** The latest time value (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC) and whether every value is the first day of a month. */
  latest?: { at: string; monthly: boolean };
  /** The earliest time value (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC). */
  earliest?: string;
  /** The file's column the time is read from, when the file has no such column. */
  missing?: string;
}

/** A table file that could not be measured because its bytes are not text of its encoding. */
export interface Unmeasured {
  invalid: InvalidBytes;
}

/**
 * Reads a table file with loading's own reader and measures it: its row count and, when it
 * has a time column, its latest value typed as loading types it (a value that does not
 * convert is left out here; loading reports it). The raw table is dropped again.
 */
export async function measureTable(db: Database, files: SnapshotFiles, table: string, path: string, format: TableFormat, time?: TimeColumn): Promise<Measure | Unmeasured> {
  const read = await readTable(db, files, table, path, format);
  if ('invalid' in read) return read;
  const { rows } = read;
  try {
    if (!time || rows === 0) return { rows };
    // A time looked up in another export cannot be measured from this file alone.
    if (time.mapping?.lookup) return { rows };
    const part: ExportPart = time.mapping
      ? { table, columns: { [time.column]: time.mapping }, ...(time.nullValues ? { nullValues: time.nullValues } : {}), ...(time.unpivot ? { unpivot: time.unpivot } : {}) }
      : { table };
    // Every file column the time is read from (a date from parts reads several, an unpivot its melted columns).
    const reads = time.mapping ? [...columnsRead(part, time.mapping), ...Object.keys(time.unpivot?.columns ?? {})] : [time.column];
    const fileColumns = (await db.all<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${rawTable(table)})`)).map((c) => c.column_name);
    const columns = new Set(fileColumns);
    const missing = reads.find((c) => !columns.has(c));
    if (missing !== undefined) return { rows, missing };
    const stmt = new Statement();
    const raw = rawExpression(part, time.column, stmt);
    const from = relation(part, fileColumns, stmt);
    const [{ type }] = (await db.all<{ type: string }>(`SELECT typeof(${raw}) AS type FROM ${from} LIMIT 1`, stmt.params)) as [{ type: string }];
    const format = time.mapping?.format;
    const typed = !time.mapping && convertsLosslessly(type, time.type)
      ? `CAST(${raw} AS ${SQL_TYPES[time.type]})`
      : typedExpression(raw, time.type, format ? Number(stmt.bind(format).slice(1)) : undefined);
    const [row] = await db.all<{ at: string | null; first: string | null; monthly: boolean | null }>(
      `SELECT strftime(max(CAST(t AS TIMESTAMP)), '%Y-%m-%d %H:%M:%S.%f') AS at, strftime(min(CAST(t AS TIMESTAMP)), '%Y-%m-%d %H:%M:%S.%f') AS first, bool_and(day(t) = 1) AS monthly
         FROM (SELECT ${typed} AS t FROM ${from}) WHERE t IS NOT NULL`,
      stmt.params,
    );
    return row?.at ? { rows, latest: { at: row.at, monthly: time.type === 'date' && row.monthly === true }, ...(row.first ? { earliest: row.first } : {}) } : { rows };
  } finally {
    await db.drop(`raw$${table}`);
  }
}

