import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { PartModel } from '../../model/project-model.js';
import type { Database } from './database.js';
import { dataDiagnostic } from './data-diagnostic.js';
import { concatText, dateText, exportExpression, fileColumnsRead, mappedText, readsColumn, relation, type ExportPart } from './export-columns.js';
import { checkLookups, lookupExpression } from './lookup.js';
import { missingColumn, unmappedValue } from './missing-column.js';
import { monthsBeforeExpression, monthsBeforeReads } from './months.js';
import { convertsLosslessly, ident, rawTable, SQL_TYPES, stagedTable, typedExpression } from './sql.js';
import { parquetOf } from './database.js';
import type { StagePlan } from './stage-plan.js';
import { Statement } from './statement.js';

/** Suffix of the column holding a value as it was in the file, kept next to the typed value until checks ran. */
export const RAW = '$raw';

/** The columns of a loaded file and their DuckDB types. */
async function columnsOf(db: Database, table: string): Promise<Map<string, string>> {
  const rows = await db.all<{ column_name: string; column_type: string }>(`SELECT column_name, column_type FROM (DESCRIBE ${rawTable(table)})`);
  return new Map(rows.map((r) => [r.column_name, r.column_type]));
}

/** The raw expression for one canonical column from one part (NULL when the part leaves it empty), read from `… AS r`. */
export function rawExpression(part: ExportPart, column: string, stmt: Statement): string {
  const mapping = part.columns?.[column];
  if (mapping?.lookup) return lookupExpression(part, mapping.lookup);
  if (mapping?.months_before) return monthsBeforeExpression(part, mapping.months_before, stmt);
  return exportExpression(part, column, stmt);
}

/** The file columns a mapping reads: those of `from` and computed values, a lookup's `match`, a month's date and period. */
export const columnsRead = (part: ExportPart, m: NonNullable<ExportPart['columns']>[string]): string[] => [
  ...fileColumnsRead(part, m),
  ...[...(m.lookup ? [m.lookup.match] : []), ...(m.months_before ? monthsBeforeReads(m.months_before) : [])].filter((c) => readsColumn(part, c) === c),
];

/** Rows of a part matching `where`: how many, with one sample row of the columns read (named as kpiops.yaml names them). */
async function sample(db: Database, part: ExportPart, from: string, where: string, shown: string[], stmt: Statement): Promise<{ count: number; row: Record<string, unknown> } | undefined> {
  const [first] = await db.all<Record<string, unknown> & { $count: number }>(
    `SELECT ${[...shown.map((c) => `CAST(r.${ident(readsColumn(part, c))} AS VARCHAR) AS ${ident(c)}`), 'count(*) OVER () AS "$count"'].join(', ')} FROM ${from} WHERE ${where} LIMIT 1`, stmt.params);
  if (!first) return undefined;
  const { $count: count, ...row } = first;
  return { count, row };
}

/**
 * Checks a part has every column it reads (and every column its unpivot melts), that every
 * value a map meets is mapped, and that every date built from parts is a real date.
 */
async function checkPart(db: Database, plan: StagePlan, part: StagePlan['parts'][number], present: Map<string, string>, file: string, report: (d: Diagnostic) => void): Promise<boolean> {
  let ok = true;
  for (const column of Object.keys(part.unpivot?.columns ?? {}).filter((c) => !present.has(c))) {
    report(dataDiagnostic('data/unpivot-missing-column', { table: part.table, column }, { file, table: part.table, column }));
    ok = false;
  }
  const needed = part.columns
    ? Object.values(part.columns).flatMap((m) => columnsRead(part, m))
    : Object.keys(plan.spec.columns);
  for (const column of [...new Set(needed)].filter((c) => !present.has(c))) {
    report(missingColumn(part, column, file));
    ok = false;
  }
  if (!ok || !part.columns) return ok;
  for (const [name, mapping] of Object.entries(part.columns)) {
    if ((mapping.from !== undefined || mapping.concat) && mapping.map) {
      const stmt = new Statement();
      const from = relation(part, [...present.keys()], stmt);
      const { map: _map, ...unmapped } = mapping;
      const text = mapping.from !== undefined ? mappedText(part, { ...unmapped, from: mapping.from, prefix: undefined }, stmt) : concatText(part, unmapped, stmt);
      const rows = await db.all<{ v: string; n: number }>(
        `SELECT ${text} AS v, count(*) AS n FROM ${from}
          WHERE ${text} IS NOT NULL AND NOT list_contains(${stmt.bind(Object.keys(mapping.map))}::VARCHAR[], ${text}) GROUP BY 1 ORDER BY n DESC, v`,
        stmt.params,
      );
      if (rows.length > 0) {
        const count = rows.reduce((sum, r) => sum + r.n, 0);
        const shown = rows.slice(0, 5).map((r) => `"${r.v}" (${r.n})`).join(', ') + (rows.length > 5 ? ` and ${rows.length - 5} more` : '');
        // The unpivot's melted cells are named as kpiops.yaml names them, and said to be the unpivot's.
        // A concat's value is its joined parts: the finding names them all.
        const read = mapping.from ?? mapping.concat!.flatMap((p) => (typeof p === 'object' ? [p.from] : []))[0]!;
        const column = mapping.concat ? `${name} (joined from ${mapping.concat.map((p) => (typeof p === 'object' ? p.from : JSON.stringify(String(p)))).join(' + ')})`
          : readsColumn(part, read) === read ? read : `${read} (melted by its unpivot)`;
        report(unmappedValue(part, read, name, { count, value: shown, shownAs: column }, file));
        ok = false;
      }
    }
    if (mapping.date_from_parts) {
      const stmt = new Statement();
      const from = relation(part, [...present.keys()], stmt);
      const text = dateText(part, mapping, stmt);
      const type = plan.spec.columns[name]?.type === 'date' ? 'DATE' : 'TIMESTAMP';
      // The sample row: the parts read, then the file's other columns (a few), so the row can be found.
      const read = [...new Set(Object.values(mapping.date_from_parts).flatMap((p) => (typeof p === 'object' ? [p.from] : [])))];
      const shown = [...read, ...[...present.keys()].filter((c) => !read.includes(c))].slice(0, Math.max(read.length, 8));
      const bad = await sample(db, part, from, `${text} IS NOT NULL AND TRY_CAST(${text} AS ${type}) IS NULL`, shown, stmt);
      if (bad) {
        const { row } = bad;
        const { year, month, day, time } = mapping.date_from_parts;
        const shown = (p: PartModel) => String(typeof p === 'object' ? row[p.from] : p);
        const value = `year ${shown(year)}, month ${shown(month)}, day ${shown(day)}${time === undefined ? '' : `, time ${shown(time)}`}`;
        report(dataDiagnostic('data/impossible-date', { table: part.table, column: name, count: bad.count, value }, { file, table: part.table, column: name, row }));
        ok = false;
      }
    }
  }
  return ok;
}

/** What was staged: which columns kept their value as it was in the file, for the type check. */
export interface Staged {
  rawColumns: Set<string>;
  /** For a table built from several exports: the column `$part` names each row's export. */
  parts?: StagePlan['parts'];
  /** When the source is one Parquet file read in place: the query its table is a view of. */
  view?: string;
  /** The file that view reads. */
  file?: string;
}

export const PART = '$part';

/**
 * Creates `staged$<source>` from the source's table or the union of its mapped exports:
 * every declared column with its typed value and, where the file's type differs from the
 * declared one, beside it the value as it was (`<column>$raw`) so a value that did not
 * convert can be reported. Columns already of their declared type (typical of Parquet) are
 * taken as they are. Returns undefined (and stages nothing) when a part cannot be read.
 */
export async function stage(db: Database, plan: StagePlan, fileOf: (table: string) => string, report: (d: Diagnostic) => void): Promise<Staged | undefined> {
  const types = new Map<string, Map<string, string>>();
  let ok = true;
  for (const part of plan.parts) {
    types.set(part.table, await columnsOf(db, part.table));
    ok = (await checkPart(db, plan, part, types.get(part.table)!, fileOf(part.table), report)) && ok;
    ok = (await checkLookups(db, part, new Set(types.get(part.table)!.keys()), fileOf, report)) && ok;
  }
  if (!ok) return undefined;
  const direct = plan.parts.length === 1 && !plan.parts[0]!.columns;
  const rawColumns = new Set(Object.entries(plan.spec.columns)
    .filter(([name, spec]) => !direct || !convertsLosslessly(types.get(plan.parts[0]!.table)!.get(name), spec.type))
    .map(([name]) => name));
  const stmt = new Statement();
  const selects = plan.parts.map((part) => {
    const columns = Object.entries(plan.spec.columns).map(([name, spec]) => {
      const raw = rawExpression(part, name, stmt);
      if (!rawColumns.has(name)) return `CAST(${raw} AS ${SQL_TYPES[spec.type]}) AS ${ident(name)}`;
      const format = part.columns?.[name]?.format;
      return `${typedExpression(raw, spec.type, format ? Number(stmt.bind(format).slice(1)) : undefined)} AS ${ident(name)}, ${raw} AS ${ident(name + RAW)}`;
    });
    return `SELECT ${columns.join(', ')}${direct ? '' : `, ${stmt.bind(part.table)} AS ${ident(PART)}`} FROM ${relation(part, [...types.get(part.table)!.keys()], stmt)}`;
  });
  // One Parquet file already of the declared types: checked and read in place through a view,
  // which then becomes the table (`view`), reading the file itself rather than `raw$`.
  const file = direct && rawColumns.size === 0 && !plan.spec.vintage && stmt.params.length === 0 ? db.parquetFileOf(`raw$${plan.parts[0]!.table}`) : undefined;
  const reads = `FROM ${rawTable(plan.parts[0]!.table)} AS r`;
  if (file !== undefined && selects[0]!.endsWith(reads)) {
    const view = `${selects[0]!.slice(0, -reads.length)}FROM ${parquetOf(file)} AS r`;
    await db.run(`CREATE VIEW ${stagedTable(plan.source)} AS ${view}`);
    return { rawColumns, view, file };
  }
  await db.run(`CREATE TABLE ${stagedTable(plan.source)} AS ${selects.join(' UNION ALL ')}`, stmt.params);
  return direct ? { rawColumns } : { rawColumns, parts: plan.parts };
}
