import { writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { postgres, withTables, type Dialect } from '../compile/dialect.js';
import { exitCodeFor, hasErrors } from '../diagnostics/diagnostic.js';
import { PostgresDatabase, PostgresError } from '../engine/postgres/database.js';
import { kpisBySource } from '../model/dependencies.js';
import { lastCoveredPeriod, notStarted } from '../model/period.js';
import type { ProjectSpec } from '../spec/project.js';
import type { Results } from '../spec/results.js';
import { jsonText } from '../text/terminal.js';
import { validateProject } from '../validate/project.js';
import { evaluateResults, modelOf, periodOption, report, snapshotOf } from './eval.js';
import { progress as makeProgress } from './progress.js';
import { checkSnapshot, DEFAULT_MEMORY_LIMIT, snapshotDir } from './validate.js';

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** The table the loader records which snapshot a schema holds (`$` keeps it apart from source names). */
const SNAPSHOT_TABLE = 'kpiops$snapshot';

/** How to reach the warehouse: the URL from the environment, the schema and table names from kpiops.yaml (or `--schema`). */
export function warehouseSettings(project: ProjectSpec, env: NodeJS.ProcessEnv, schemaOption?: string): { url: string; schema: string; tables: Record<string, string>; timeout: number } | string {
  const variable = project.warehouse?.url_env ?? 'DATABASE_URL';
  const url = env[variable];
  if (!url) return `the PostgreSQL connection URL goes in $${variable} (postgres://user@host:port/database${project.warehouse?.url_env ? '; warehouse.url_env in kpiops.yaml names the variable' : ''})`;
  if (!/^postgres(ql)?:\/\//.test(url)) return `$${variable} must be a PostgreSQL URL starting with postgres:// (got one starting with "${url.split(':')[0]}:")`;
  const schema = schemaOption ?? project.warehouse?.schema ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) return `--schema must be a plain name (letters, digits, _), got "${schema}"`;
  return { url, schema, tables: { ...project.warehouse?.tables }, timeout: project.warehouse?.statement_timeout_s ?? 1800 };
}

/** The warehouse table of each source, as a message names it. */
const tableName = (schema: string, tables: Record<string, string>, source: string) => `${schema}.${tables[source] ?? source}`;

/**
 * Which sources the warehouse cannot serve: a missing table or view, a declared column it
 * lacks, or no rows at all (a table without rows covers no period: counting it as "nothing
 * happened" would report reach 0, as a snapshot's empty table would). Each problem names the
 * warehouse table, the column and the source.
 */
export async function missingInWarehouse(db: PostgresDatabase, project: ProjectSpec, schema: string, tables: Record<string, string>, sources: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...sources];
  const names = wanted.map((s) => tables[s] ?? s);
  const rows = await db.all<{ table_name: string; column_name: string }>(
    'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = ANY($2::text[])', [schema, names],
  );
  const columns = new Map<string, Set<string>>();
  for (const r of rows) columns.set(r.table_name, (columns.get(r.table_name) ?? new Set()).add(r.column_name));
  const problems = new Map<string, string>();
  for (const source of wanted) {
    const found = columns.get(tables[source] ?? source);
    const where = tableName(schema, tables, source);
    if (!found) {
      problems.set(source, `no table or view ${where} (source ${source})`);
      continue;
    }
    const lacking = Object.keys(project.sources[source]!.columns).filter((c) => !found.has(c));
    if (lacking.length > 0) {
      problems.set(source, `${where} has no column ${lacking.join(', ')} (declared for source ${source} in kpiops.yaml)`);
      continue;
    }
    const [first] = await db.all<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${postgres.ident(schema)}.${postgres.ident(tables[source] ?? source)}) AS "any"`);
    if (!first?.any) problems.set(source, `${where} has no rows (source ${source}), so it covers no period`);
  }
  return problems;
}

/**
 * Tables PostgreSQL has no statistics for (never analysed, by hand or by autovacuum): it
 * then plans joins blind, and a plan that takes a second can take a minute.
 */
export async function unanalysed(db: PostgresDatabase, schema: string, tables: Record<string, string>, sources: readonly string[]): Promise<string[]> {
  const names = sources.map((s) => tables[s] ?? s);
  const rows = await db.all<{ relname: string }>(
    `SELECT c.relname FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind IN ('r', 'p', 'm')
       AND NOT EXISTS (SELECT 1 FROM pg_statistic AS s WHERE s.starelid = c.oid)`,
    [schema, names],
  );
  return rows.map((r) => `${schema}.${r.relname}`).sort();
}

/** What the results say about the data: the snapshot the loader copied, or the warehouse tables as they are now. */
async function warehouseSnapshot(db: PostgresDatabase, dialect: Dialect, project: ProjectSpec, schema: string, sources: readonly string[], asOf: Date | undefined): Promise<Results['snapshot']> {
  const qualified = `${postgres.ident(schema)}.${postgres.ident(SNAPSHOT_TABLE)}`;
  const [{ exists }] = (await db.all<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS "exists"', [qualified])) as [{ exists: boolean }];
  if (exists && !asOf) {
    // `*`: a table copied by an older kpiops has no coverage_start column (its sources then start at their first row).
    const [row] = await db.all<{ id: string; as_of: string; checksum: string; coverage: Record<string, string> | null; coverage_start?: Record<string, string> | null }>(`SELECT * FROM ${qualified} LIMIT 1`);
    if (row) return { id: row.id, as_of: new Date(row.as_of).toISOString(), checksum: row.checksum, ...(row.coverage ? { coverage: row.coverage } : {}), ...(row.coverage_start && Object.keys(row.coverage_start).length > 0 ? { coverage_start: row.coverage_start } : {}) };
  }
  // A live warehouse: its fingerprint is each table's row count and latest time, as of now.
  const fingerprint: Record<string, unknown> = {};
  for (const source of sources) {
    const time = project.sources[source]!.time;
    const [row] = await db.all(`SELECT count(*) AS "rows"${time ? `, CAST(max(${dialect.ident(time)}) AS TEXT) AS "latest"` : ''} FROM ${dialect.table(source)}`);
    fingerprint[source] = row;
  }
  return {
    id: `postgres:${db.where.split(' as ')[0]}/${schema}`,
    as_of: (asOf ?? new Date()).toISOString(),
    checksum: createHash('sha256').update(JSON.stringify(fingerprint)).digest('hex'),
  };
}

/** The validated project and the warehouse settings, or the exit code when either is wrong (after saying why). */
async function projectAndSettings(options: { project: string; schema?: string }, s: Streams) {
  const validated = await validateProject(options.project);
  if (hasErrors(validated.diagnostics) || !validated.files.project) {
    report(validated.diagnostics, validated, s);
    return exitCodeFor(validated.diagnostics);
  }
  const project = validated.files.project.spec;
  const settings = warehouseSettings(project, s.env, options.schema);
  if (typeof settings === 'string') {
    s.err.write(`kpiops: ${settings}\n`);
    return 2;
  }
  return { validated, project, settings };
}

/** A PostgreSQL failure is said in words (exit 1); anything else is a bug and goes up. */
function failed(error: unknown, s: Streams): number {
  if (!(error instanceof PostgresError)) throw error;
  s.err.write(`kpiops: ${error.message}\n`);
  return 1;
}

export interface WarehouseEvalOptions {
  project: string;
  snapshot?: string;
  asOf?: string;
  period?: string;
  out?: string;
  schema?: string;
  quiet?: boolean;
}

/**
 * `kpiops eval --engine postgres`: the same plan, compiled for PostgreSQL and run in a
 * read-only session on the warehouse. KPIs whose tables or columns are missing there are
 * listed as blocked, like KPIs on data that failed its checks.
 */
export async function evalPostgres(options: WarehouseEvalOptions, s: Streams): Promise<number> {
  const ready = await projectAndSettings(options, s);
  if (typeof ready === 'number') return ready;
  const { validated, project, settings } = ready;
  const asOf = options.asOf ? new Date(options.asOf) : undefined;
  if (asOf && Number.isNaN(asOf.getTime())) {
    s.err.write(`kpiops: --as-of must be a date or timestamp such as 2026-11-01 (got "${options.asOf}")\n`);
    return 2;
  }
  let db: PostgresDatabase | undefined;
  const progress = makeProgress(s.err, Boolean(options.quiet));
  try {
    progress.step('Connecting to PostgreSQL');
    db = await PostgresDatabase.connect({ url: settings.url, statementTimeoutS: settings.timeout });
    const dialect = withTables(postgres, { schema: settings.schema, tables: settings.tables });
    const model = modelOf(validated);
    const byId = new Map(model.kpis.map((k) => [k.id, k]));
    const bySource = kpisBySource(validated.files.kpis.map((k) => k.spec), project);
    const read = [...bySource.keys()].filter((source) => project.sources[source] && (bySource.get(source) ?? []).some((id) => byId.has(id)));
    const missing = await missingInWarehouse(db, project, settings.schema, settings.tables, read);
    for (const problem of missing.values()) s.err.write(`✖ ${problem}\n`);
    const blind = await unanalysed(db, settings.schema, settings.tables, read.filter((r) => !missing.has(r)));
    if (blind.length > 0) s.err.write(`⚠ PostgreSQL has no statistics for ${blind.join(', ')}: it may plan these queries badly (minutes instead of seconds). Run ANALYZE on them, or let autovacuum do it.\n`);
    const blocked = [...missing.keys()].flatMap((table) => (bySource.get(table) ?? []).map((kpi) => ({ kpi, table })));
    let snapshot: Results['snapshot'];
    if (options.snapshot) {
      const { checkManifest } = await import('../validate/manifest.js');
      const manifest = checkManifest(snapshotDir(options.project, options.snapshot));
      if (!manifest.manifest) {
        progress.done();
        report(manifest.diagnostics, validated, s);
        return exitCodeFor(manifest.diagnostics);
      }
      snapshot = snapshotOf(manifest.manifest.spec, manifest.text ?? '');
    } else {
      snapshot = await warehouseSnapshot(db, dialect, project, settings.schema, read.filter((r) => !missing.has(r)), asOf);
    }
    const period = periodOption(options.period, model.calendar, () => lastCoveredPeriod('month', new Date(snapshot.as_of), undefined, model.calendar));
    if (typeof period === 'string') {
      progress.done();
      s.err.write(`kpiops: ${period}\n`);
      return 2;
    }
    const unstarted = notStarted(period, new Date(snapshot.as_of), model.calendar);
    if (unstarted) {
      progress.done();
      s.err.write(`kpiops: ${unstarted}\n`);
      return 1;
    }
    const started = performance.now();
    const results = await evaluateResults({ validated, db, dialect, snapshot, period, blocked, onQuery: (id) => progress.step(`Evaluating on PostgreSQL: ${id}`) });
    progress.done();
    const text = `${jsonText(results)}\n`;
    if (options.out) writeFileSync(options.out, text);
    else s.out.write(text);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    s.err.write(`✔ ${results.kpis.length} KPIs evaluated for ${period.label} on PostgreSQL (${db.where.split(' as ')[0]}, schema ${settings.schema}) in ${seconds} s${options.out ? ` → ${options.out}` : ''}\n`);
    if (blocked.length > 0) s.err.write(`✖ not computed (tables missing or empty in the warehouse): ${blocked.map((b) => `${b.kpi} (${b.table})`).join(', ')}\n`);
    return blocked.length > 0 ? 1 : 0;
  } catch (error) {
    progress.done();
    return failed(error, s);
  } finally {
    progress.done();
    await db?.close();
  }
}

export interface LoadPostgresOptions {
  project: string;
  snapshot: string;
  schema?: string;
  memoryLimit?: string;
  quiet?: boolean;
}

/**
 * `kpiops load-postgres`: checks a snapshot as `eval` would and copies every table that
 * passed into PostgreSQL (one table per source, replaced), recording which snapshot the
 * schema now holds. For trying warehouse mode and for tests; a real warehouse keeps its tables.
 */
export async function loadPostgresCommand(options: LoadPostgresOptions, s: Streams): Promise<number> {
  const ready = await projectAndSettings(options, s);
  if (typeof ready === 'number') return ready;
  const { validated, project, settings } = ready;
  const progress = makeProgress(s.err, Boolean(options.quiet));
  const checked = await checkSnapshot(validated, snapshotDir(options.project, options.snapshot), progress, options.memoryLimit ?? DEFAULT_MEMORY_LIMIT);
  const loaded = checked.loaded;
  if (!loaded) {
    progress.done();
    report(checked.diagnostics, validated, s);
    return exitCodeFor(checked.diagnostics);
  }
  let db: PostgresDatabase | undefined;
  try {
    progress.step('Connecting to PostgreSQL');
    db = await PostgresDatabase.connect({ url: settings.url, statementTimeoutS: settings.timeout, readOnly: false });
    const { copySnapshot } = await import('../engine/postgres/load.js');
    const started = performance.now();
    const copied = await copySnapshot(loaded.db, db, project, loaded.tables.keys(), settings.schema, (source) => progress.step(`Copying ${source} into PostgreSQL`));
    const meta = `${postgres.ident(settings.schema)}.${postgres.ident(SNAPSHOT_TABLE)}`;
    const snapshot = snapshotOf(checked.manifest!, checked.manifestText ?? '');
    await db.run(`DROP TABLE IF EXISTS ${meta}`);
    await db.run(`CREATE TABLE ${meta} ("id" TEXT, "as_of" TIMESTAMPTZ, "checksum" TEXT, "coverage" JSONB, "coverage_start" JSONB)`);
    await db.run(`INSERT INTO ${meta} VALUES ($1, $2, $3, $4, $5)`, [snapshot.id, snapshot.as_of, snapshot.checksum, JSON.stringify(snapshot.coverage ?? {}), JSON.stringify(snapshot.coverage_start ?? {})]);
    progress.done();
    report(checked.diagnostics, validated, s);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    s.err.write(`✔ ${copied.length} tables copied into ${db.where.split(' as ')[0]}, schema ${settings.schema}, in ${seconds} s: ${copied.map((c) => `${c.source} (${c.rows.toLocaleString('en-US')} rows)`).join(', ')}\n`);
    if (loaded.failed.size > 0) s.err.write(`✖ not copied (data failed its checks): ${[...loaded.failed].join(', ')}\n`);
    return exitCodeFor(checked.diagnostics);
  } catch (error) {
    progress.done();
    return failed(error, s);
  } finally {
    progress.done();
    loaded.db.close();
    await db?.close();
  }
}
