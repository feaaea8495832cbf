import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { postgres } from '../../compile/dialects/postgres.js';
import type { ProjectModel } from '../../model/project-model.js';
import type { Database } from '../duckdb/database.js';
import { errorText, PostgresError, type PostgresDatabase } from './database.js';

const { ident } = postgres;

/**
 * One CSV line per row, written by DuckDB (in parallel, vectorised): each value quoted as
 * text, NULL as nothing (an empty quoted field is an empty string), for COPY … (FORMAT csv).
 */
const csvLine = (columns: readonly string[]) =>
  `concat_ws(',', ${columns.map((c) => `CASE WHEN ${ident(c)} IS NULL THEN '' ELSE '"' || replace(CAST(${ident(c)} AS VARCHAR), '"', '""') || '"' END`).join(', ')})`;

export interface CopiedTable {
  source: string;
  table: string;
  rows: number;
}

/**
 * Copies the sources of a loaded (and checked) snapshot into PostgreSQL: each becomes a
 * table of `schema` with its declared columns and types, replaced if it exists, filled
 * with COPY and analysed. Only tables that passed their load checks are copied.
 */
export async function copySnapshot(duck: Database, pgdb: PostgresDatabase, project: Pick<ProjectModel, 'sources' | 'warehouse'>, tables: Iterable<string>, schema: string, onTable?: (source: string) => void): Promise<CopiedTable[]> {
  const copied: CopiedTable[] = [];
  await pgdb.run(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
  for (const source of tables) {
    const spec = project.sources[source];
    if (!spec) continue;
    onTable?.(source);
    const table = `${ident(schema)}.${ident(project.warehouse.tables[source] ?? source)}`;
    const columns = Object.entries(spec.columns);
    await pgdb.run('BEGIN');
    try {
      await pgdb.run(`DROP TABLE IF EXISTS ${table}`);
      await pgdb.run(`CREATE TABLE ${table} (${columns.map(([name, c]) => `${ident(name)} ${postgres.type(c.type)}`).join(', ')})`);
      const rows = duck.textRows(`SELECT ${csvLine(columns.map(([name]) => name))} FROM ${ident(source)}`);
      let count = 0;
      const csv = Readable.from((async function* () {
        for await (const batch of rows) {
          count += batch.length;
          yield `${batch.map((row) => row[0]).join('\n')}\n`;
        }
      })());
      const copy = pgdb.client.query(copyFrom(`COPY ${table} (${columns.map(([name]) => ident(name)).join(', ')}) FROM STDIN WITH (FORMAT csv)`));
      await pipeline(csv, copy);
      await pgdb.run('COMMIT');
      await pgdb.run(`ANALYZE ${table}`);
      copied.push({ source, table, rows: count });
    } catch (error) {
      await pgdb.run('ROLLBACK').catch(() => undefined);
      throw error instanceof PostgresError ? error : new PostgresError(`copying ${source} into ${table} at ${pgdb.where}: ${errorText(error)}`);
    }
  }
  return copied;
}

