import { createHash } from 'node:crypto';
import { postgres } from '../../compile/dialects/postgres.js';
import type { ProjectModel } from '../../model/project-model.js';
import type { Results } from '../../spec/results.js';
import type { PostgresDatabase } from './database.js';

const { ident } = postgres;

/** The table the loader records which snapshot a schema holds (`$` keeps it apart from source names). */
export const SNAPSHOT_TABLE = 'kpiops$snapshot';

/** Where a source lives in the warehouse: a schema and a table or view name (the source's own by default). */
export interface WarehouseTables {
  schema: string;
  tables: Readonly<Record<string, string>>;
}

const tableOf = (w: WarehouseTables, source: string) => w.tables[source] ?? source;
/** The warehouse table of a source, as a message names it. */
const tableName = (w: WarehouseTables, source: string) => `${w.schema}.${tableOf(w, source)}`;

/**
 * Which sources the warehouse cannot serve: a missing table or view, a declared column it
 * lacks, or no rows at all (a table without rows covers no period: counting it as "nothing
 * happened" would report reach 0, as a snapshot's empty table would). Each problem names the
 * warehouse table, the column and the source.
 */
export async function missingInWarehouse(db: PostgresDatabase, project: Pick<ProjectModel, 'sources'>, w: WarehouseTables, sources: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...sources];
  const rows = await db.all<{ table_name: string; column_name: string }>(
    'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = ANY($2::text[])', [w.schema, wanted.map((s) => tableOf(w, s))],
  );
  const columns = new Map<string, Set<string>>();
  for (const r of rows) columns.set(r.table_name, (columns.get(r.table_name) ?? new Set()).add(r.column_name));
  const problems = new Map<string, string>();
  for (const source of wanted) {
    const found = columns.get(tableOf(w, source));
    const where = tableName(w, source);
    if (!found) {
      problems.set(source, `no table or view ${where} (source ${source})`);
      continue;
    }
    const lacking = Object.keys(project.sources[source]!.columns).filter((c) => !found.has(c));
    if (lacking.length > 0) {
      problems.set(source, `${where} has no column ${lacking.join(', ')} (declared for source ${source} in kpiops.yaml)`);
      continue;
    }
    const [first] = await db.all<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${ident(w.schema)}.${ident(tableOf(w, source))}) AS "any"`);
    if (!first?.any) problems.set(source, `${where} has no rows (source ${source}), so it covers no period`);
  }
  return problems;
}

/**
 * Tables PostgreSQL has no statistics for (never analysed, by hand or by autovacuum): it
 * then plans joins blind, and a plan that takes a second can take a minute.
 */
export async function unanalysed(db: PostgresDatabase, w: WarehouseTables, sources: readonly string[]): Promise<string[]> {
  const rows = await db.all<{ relname: string }>(
    `SELECT c.relname FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind IN ('r', 'p', 'm')
       AND NOT EXISTS (SELECT 1 FROM pg_statistic AS s WHERE s.starelid = c.oid)`,
    [w.schema, sources.map((s) => tableOf(w, s))],
  );
  return rows.map((r) => `${w.schema}.${r.relname}`).sort();
}

/** Records in `schema` which snapshot its tables were copied from (replacing any earlier record). */
export async function recordSnapshot(db: PostgresDatabase, schema: string, snapshot: Results['snapshot']): Promise<void> {
  const meta = `${ident(schema)}.${ident(SNAPSHOT_TABLE)}`;
  await db.run(`DROP TABLE IF EXISTS ${meta}`);
  await db.run(`CREATE TABLE ${meta} ("id" TEXT, "as_of" TIMESTAMPTZ, "checksum" TEXT, "coverage" JSONB, "coverage_start" JSONB)`);
  await db.run(`INSERT INTO ${meta} VALUES ($1, $2, $3, $4, $5)`, [snapshot.id, snapshot.as_of, snapshot.checksum, JSON.stringify(snapshot.coverage ?? {}), JSON.stringify(snapshot.coverage_start ?? {})]);
}

/** The snapshot the loader recorded in `schema`, if it did. */
export async function recordedSnapshot(db: PostgresDatabase, schema: string): Promise<Results['snapshot'] | undefined> {
  const qualified = `${ident(schema)}.${ident(SNAPSHOT_TABLE)}`;
  const [{ exists }] = (await db.all<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS "exists"', [qualified])) as [{ exists: boolean }];
  if (!exists) return undefined;
  // `*`: a table copied by an older kpiops has no coverage_start column (its sources then start at their first row).
  const [row] = await db.all<{ id: string; as_of: string; checksum: string; coverage: Record<string, string> | null; coverage_start?: Record<string, string> | null }>(`SELECT * FROM ${qualified} LIMIT 1`);
  if (!row) return undefined;
  return { id: row.id, as_of: new Date(row.as_of).toISOString(), checksum: row.checksum, ...(row.coverage ? { coverage: row.coverage } : {}), ...(row.coverage_start && Object.keys(row.coverage_start).length > 0 ? { coverage_start: row.coverage_start } : {}) };
}

/** A live warehouse's fingerprint: each source's row count and latest time, hashed, as of now. */
export async function liveFingerprint(db: PostgresDatabase, project: Pick<ProjectModel, 'sources'>, sources: readonly string[]): Promise<string> {
  const { dialect } = db;
  const fingerprint: Record<string, unknown> = {};
  for (const source of sources) {
    const time = project.sources[source]!.time;
    const [row] = await db.all(`SELECT count(*) AS "rows"${time ? `, CAST(max(${dialect.ident(time)}) AS TEXT) AS "latest"` : ''} FROM ${dialect.table(source)}`);
    fingerprint[source] = row;
  }
  return createHash('sha256').update(JSON.stringify(fingerprint)).digest('hex');
}
