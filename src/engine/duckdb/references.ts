import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ProjectModel } from '../../model/project-model.js';
import type { Database } from './database.js';
import { dataDiagnostic } from './data-diagnostic.js';
import { ident } from './sql.js';

/**
 * Values of a `references` column that the referenced table does not have as a key (an
 * interaction with an `hcp_id` missing from `hcps`). Such rows are kept, so this is a
 * warning: they count in totals, but the referenced table's columns (country, segment …)
 * are empty for them, so they land in a `null` slice. Run once every source is created,
 * on sources that loaded; a reference to a table that failed cannot be checked.
 */
export async function unknownReferences(db: Database, project: Pick<ProjectModel, 'sources'>, created: ReadonlySet<string>, fileOf: (source: string) => string, report: (d: Diagnostic) => void): Promise<void> {
  for (const [source, spec] of Object.entries(project.sources)) {
    if (!created.has(source)) continue;
    for (const [column, columnSpec] of Object.entries(spec.columns)) {
      const target = columnSpec.references;
      const targetSpec = target ? project.sources[target] : undefined;
      const key = targetSpec && (Array.isArray(targetSpec.key) ? (targetSpec.key.length === 1 ? targetSpec.key[0] : undefined) : targetSpec.key);
      if (!target || !key || !created.has(target)) continue;
      const sameType = targetSpec!.columns[key]?.type === columnSpec.type;
      const value = sameType ? `s.${ident(column)}` : `CAST(s.${ident(column)} AS VARCHAR)`;
      const keyValue = sameType ? `k.${ident(key)}` : `CAST(k.${ident(key)} AS VARCHAR)`;
      const missing = `s.${ident(column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ident(target)} AS k WHERE ${keyValue} = ${value})`;
      // Counted first, on the reference alone: the sample row (every column as text, sorted)
      // is looked for only when some value is missing, never across millions of rows that are fine.
      const [counted] = await db.all<{ rows: number; values: number }>(
        `SELECT count(*) AS "rows", count(DISTINCT s.${ident(column)}) AS "values" FROM ${ident(source)} AS s WHERE ${missing}`);
      if (!counted || counted.rows === 0) continue;
      const { rows, values } = counted;
      const columns = Object.keys(spec.columns);
      const [row] = (await db.all<Record<string, unknown>>(
        `SELECT ${columns.map((c) => `CAST(s.${ident(c)} AS VARCHAR) AS ${ident(c)}`).join(', ')} FROM ${ident(source)} AS s WHERE ${missing} ORDER BY ${columns.map((c) => `CAST(s.${ident(c)} AS VARCHAR)`).join(', ')} LIMIT 1`)) as [Record<string, unknown>];
      report(dataDiagnostic('data/unknown-reference', { table: source, column, target, key, rows, values, value: String(row[column]) }, { file: fileOf(source), table: source, column, row }));
    }
  }
}
