import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ExportColumnModel } from '../../model/project-model.js';
import type { Database } from './database.js';
import { dataDiagnostic } from './data-diagnostic.js';
import { readsColumn, type ExportPart } from './export-columns.js';
import { ident, rawTable } from './sql.js';
import type { StagePlan } from './stage-plan.js';

type Lookup = NonNullable<ExportColumnModel['lookup']>;

const text = (column: string, alias: string) => `CAST(${alias}.${ident(column)} AS VARCHAR)`;

/** The value a lookup column takes: the `take` column of the one row of the other table whose `on` equals this row's `match`. */
export function lookupExpression(part: ExportPart, lookup: Lookup): string {
  return `(SELECT ${text(lookup.take, 'l')} FROM ${rawTable(lookup.export)} AS l WHERE ${text(lookup.on, 'l')} = ${text(readsColumn(part, lookup.match), 'r')})`;
}

/**
 * Checks every lookup of a part before anything is staged: the other table is in the
 * snapshot with the columns named, its `on` values are unique (a row must find one row, not
 * a choice), and every row that names one finds it (an activity whose send is not in the
 * snapshot would count without its HCP). Returns false after reporting a problem.
 */
export async function checkLookups(db: Database, part: StagePlan['parts'][number], present: ReadonlySet<string>, fileOf: (table: string) => string, report: (d: Diagnostic) => void): Promise<boolean> {
  let ok = true;
  for (const [column, mapping] of Object.entries(part.columns ?? {})) {
    const lookup = mapping.lookup;
    if (!lookup) continue;
    const other = await db.all<{ column_name: string }>(`SELECT column_name FROM duckdb_columns() WHERE table_name = $1`, [`raw$${lookup.export}`]);
    const at = { file: fileOf(part.table), table: part.table, column };
    if (other.length === 0) {
      report(dataDiagnostic('data/lookup-table', { table: part.table, column, other: lookup.export }, at));
      ok = false;
      continue;
    }
    const columns = new Set(other.map((c) => c.column_name));
    const missing = [lookup.on, lookup.take].filter((c) => !columns.has(c));
    for (const c of missing) report(dataDiagnostic('data/missing-column', { table: lookup.export, column: c }, { file: fileOf(lookup.export), table: lookup.export, column: c }));
    if (missing.length > 0 || !present.has(lookup.match)) {
      ok = false;
      continue;
    }
    const [repeated] = await db.all<{ v: string; n: number }>(
      `SELECT ${text(lookup.on, 'l')} AS v, count(*)::INTEGER AS n FROM ${rawTable(lookup.export)} AS l WHERE l.${ident(lookup.on)} IS NOT NULL GROUP BY 1 HAVING count(*) > 1 ORDER BY 1 LIMIT 1`);
    if (repeated) {
      report(dataDiagnostic('data/lookup-repeated', { table: part.table, column, other: lookup.export, on: lookup.on, value: repeated.v, count: repeated.n }, { file: fileOf(lookup.export), table: lookup.export, column: lookup.on }));
      ok = false;
      continue;
    }
    const [unmatched] = await db.all<{ v: string; n: number }>(
      `SELECT min(${text(lookup.match, 'r')}) AS v, count(*)::INTEGER AS n FROM ${rawTable(part.table)} AS r
        WHERE r.${ident(lookup.match)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${rawTable(lookup.export)} AS l WHERE ${text(lookup.on, 'l')} = ${text(lookup.match, 'r')})`);
    if (unmatched && unmatched.n > 0) {
      report(dataDiagnostic('data/lookup-unmatched', { table: part.table, column, match: lookup.match, other: lookup.export, on: lookup.on, value: unmatched.v, count: unmatched.n }, at));
      ok = false;
    }
  }
  return ok;
}
