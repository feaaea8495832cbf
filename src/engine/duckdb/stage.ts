import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ExportColumnSpec, SourceSpec } from '../../spec/project.js';
import type { Database } from './database.js';
import { dataDiagnostic } from './data-diagnostic.js';
import { checkLookups, lookupExpression } from './lookup.js';
import { missingColumn, unmappedValue } from './missing-column.js';
import { monthsBeforeExpression, monthsBeforeReads } from './months.js';
import { convertsLosslessly, ident, rawTable, SQL_TYPES, stagedTable, typedExpression } from './sql.js';
import { Statement } from './statement.js';

/** Where the staged rows of a source come from: the table of the same name, or its exports. */
export interface StagePlan {
  source: string;
  spec: SourceSpec;
  /** Manifest tables read, each with the column mapping (undefined: columns taken by name). */
  parts: Array<{ table: string; columns?: Record<string, ExportColumnSpec>; preset?: { name: string; reads: ReadonlyMap<string, string[]> } }>;
}

/** Suffix of the column holding a value as it was in the file, kept next to the typed value until checks ran. */
export const RAW = '$raw';

/** The columns of a loaded file and their DuckDB types. */
async function columnsOf(db: Database, table: string): Promise<Map<string, string>> {
  const rows = await db.all<{ column_name: string; column_type: string }>(`SELECT column_name, column_type FROM (DESCRIBE ${rawTable(table)})`);
  return new Map(rows.map((r) => [r.column_name, r.column_type]));
}

/** The raw expression for one canonical column from one part, or undefined when the part leaves it empty. */
export function rawExpression(part: StagePlan['parts'][number], column: string, stmt: Statement): string {
  if (!part.columns) return `r.${ident(column)}`;
  const mapping = part.columns[column];
  if (!mapping) return 'NULL';
  if (mapping.lookup) return lookupExpression(mapping.lookup);
  if (mapping.months_before) return monthsBeforeExpression(mapping.months_before, stmt);
  if (mapping.from === undefined) return `CAST(${stmt.bind(mapping.value === null || mapping.value === undefined ? null : String(mapping.value))} AS VARCHAR)`;
  const from = `CAST(r.${ident(mapping.from)} AS VARCHAR)`;
  if (!mapping.map) return from;
  const cases = Object.entries(mapping.map).map(([k, v]) => `WHEN ${stmt.bind(k)} THEN ${stmt.bind(v === null ? null : String(v))}`);
  return `CASE ${from} ${cases.join(' ')} END`;
}

/** Checks a part has every column it reads, and that every value a map meets is mapped. */
async function checkPart(db: Database, plan: StagePlan, part: StagePlan['parts'][number], present: Map<string, string>, file: string, report: (d: Diagnostic) => void): Promise<boolean> {
  const needed = part.columns
    ? Object.values(part.columns).flatMap((m) => (m.from !== undefined ? [m.from] : m.lookup ? [m.lookup.match] : m.months_before ? monthsBeforeReads(m.months_before) : []))
    : Object.keys(plan.spec.columns);
  let ok = true;
  for (const column of new Set(needed.filter((c) => !present.has(c)))) {
    report(missingColumn(part, column, file));
    ok = false;
  }
  if (!ok || !part.columns) return ok;
  for (const [column, mapping] of Object.entries(part.columns)) {
    if (mapping.from === undefined || !mapping.map) continue;
    const from = `CAST(${ident(mapping.from)} AS VARCHAR)`;
    const rows = await db.all<{ v: string; n: number }>(
      `SELECT ${from} AS v, count(*) AS n FROM ${rawTable(part.table)}
        WHERE ${from} IS NOT NULL AND NOT list_contains($1::VARCHAR[], ${from}) GROUP BY 1 ORDER BY n DESC, v`,
      [Object.keys(mapping.map)],
    );
    if (rows.length > 0) {
      const count = rows.reduce((sum, r) => sum + r.n, 0);
      const shown = rows.slice(0, 5).map((r) => `"${r.v}" (${r.n})`).join(', ') + (rows.length > 5 ? ` and ${rows.length - 5} more` : '');
      report(unmappedValue(part, mapping.from, column, { count, value: shown }, file));
      ok = false;
    }
  }
  return ok;
}

/** What was staged: which columns kept their value as it was in the file, for the type check. */
export interface Staged {
  rawColumns: Set<string>;
  /** For a table built from several exports: the column `$part` names each row's export. */
  parts?: StagePlan['parts'];
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
    return `SELECT ${columns.join(', ')}${direct ? '' : `, ${stmt.bind(part.table)} AS ${ident(PART)}`} FROM ${rawTable(part.table)} AS r`;
  });
  await db.run(`CREATE TABLE ${stagedTable(plan.source)} AS ${selects.join(' UNION ALL ')}`, stmt.params);
  return direct ? { rawColumns } : { rawColumns, parts: plan.parts };
}
