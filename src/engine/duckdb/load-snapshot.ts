import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { entityColumn, type Model } from '../../model/model.js';
import { kpisReading, type ProjectModel } from '../../model/project-model.js';
import { readersText } from '../../model/source-readers.js';
import { expectedTables } from '../../seal/tables.js';
import type { SnapshotSpec } from '../../spec/snapshot.js';
import { runChecks } from './checks.js';
import { Database } from './database.js';
import { dataDiagnostic, errorReason } from './data-diagnostic.js';
import { presetReads } from '../../presets/expand.js';
import { loadFiles } from './load-files.js';
import type { SnapshotFiles } from './snapshot-files.js';
import { ident, rawTable, stagedTable } from './sql.js';
import { unknownReferences } from './references.js';
import { stage } from './stage.js';
import type { StagePlan } from './stage-plan.js';
import { keepLatestDelivery } from './vintage.js';

export interface SnapshotInput {
  /** The project: its declared sources and channels, and what reads each source (KPIs, scorecards with a brief). */
  model: Pick<Model, 'sources' | 'channels' | 'readers' | 'entity'>;
  /** The snapshot's files, as `source/` reads them. */
  snapshot: SnapshotFiles;
  manifest: SnapshotSpec;
  manifestPath: string;
  /** DuckDB's memory limit (e.g. `3GB`); beyond it, work spills to a temporary directory. */
  memoryLimit?: string;
  /** DuckDB's worker threads (default: one per core). */
  threads?: number;
  /** Rows per part of a query that adds up over HCPs (default: from the memory limit; see `Database.splitByHcp`). */
  rowsPerPart?: number;
  /** Called as each step starts, for progress display. */
  onStep?: (step: string) => void;
}

/** A loaded snapshot: canonical tables that passed every check, by source name; failed ones are absent. */
export interface LoadedSnapshot {
  db: Database;
  /** Sources loaded and checked, with their row counts. */
  tables: Map<string, number>;
  /** Sources that failed a check: no table of that name exists, so nothing can read it. */
  failed: Set<string>;
  /** Sources left out on purpose: the snapshot has no file for them and nothing reads them. */
  absent: Set<string>;
  /** What was left out and which checks that skipped, in words, for the command to print once. */
  notes: string[];
  diagnostics: Diagnostic[];
  /** Each table file that was read: its columns as the loader saw them, in file order (what data-feed monitors compare with kpiops.yaml). */
  fileColumns: Map<string, string[]>;
}

function plans(project: Pick<ProjectModel, 'sources'>): StagePlan[] {
  return Object.entries(project.sources).map(([source, spec]) => ({
    source,
    spec,
    parts: spec.exports
      ? Object.entries(spec.exports).map(([table, e]) => ({
        table, columns: e.columns ?? {},
        ...(e.null_values ? { nullValues: e.null_values } : {}), ...(e.unpivot ? { unpivot: e.unpivot } : {}),
        ...(e.preset ? { preset: { name: e.preset, reads: presetReads(e) } } : {}),
      }))
      : [{ table: source }],
  }));
}

/**
 * Loads a snapshot into an embedded DuckDB and runs every load check. A source whose files
 * or rows fail a check is not created, so no KPI can silently read it. External access
 * is locked before returning.
 */
export async function loadSnapshot(input: SnapshotInput): Promise<LoadedSnapshot> {
  const { model: project, manifest, snapshot } = input;
  const diagnostics: Diagnostic[] = [];
  const report = (d: Diagnostic) => diagnostics.push(d);
  const db = await Database.open({ ...(input.memoryLimit ? { memoryLimit: input.memoryLimit } : {}), ...(input.threads ? { threads: input.threads } : {}) });
  const fileOf = (table: string) => (manifest.tables[table] ? `${snapshot.shownAs}/${manifest.tables[table].file}` : input.manifestPath);
  input.onStep?.('reading files');
  const loaded = await loadFiles(db, snapshot, manifest, new Map(expectedTables(project).map((e) => [e.table, e])), report);
  const allPlans = plans(project);
  // A table read only by lookups is read too, not unknown.
  const known = new Set(allPlans.flatMap((p) => p.parts.flatMap((part) => [part.table, ...Object.values(part.columns ?? {}).flatMap((c) => (c.lookup ? [c.lookup.export] : []))])));
  for (const table of Object.keys(manifest.tables).filter((t) => !known.has(t))) {
    report(dataDiagnostic('snapshot/unknown-table', { table }, { file: input.manifestPath, table }));
  }
  const tables = new Map<string, number>();
  const failed = new Set<string>();
  const absent = new Set<string>();
  const notes: string[] = [];
  const readers = project.readers;
  /** The Parquet file each source read in place reads. */
  const files = new Map<string, string>();
  /** Stages, checks and creates one source; any error is reported and leaves it uncreated. */
  async function loadSource(plan: StagePlan) {
    const before = diagnostics.length;
    const missing = plan.parts.filter((p) => !manifest.tables[p.table]);
    if (missing.length === plan.parts.length) {
      // A source's rows matter only to what reads them; one declared ahead of its data may wait.
      const read = readers.get(plan.source);
      if (!read) {
        absent.add(plan.source);
      } else {
        report(dataDiagnostic('snapshot/table-needed', { table: plan.source, readers: readersText(read) }, { file: input.manifestPath, table: plan.source }));
        failed.add(plan.source);
      }
      return;
    }
    for (const part of missing) {
      report(dataDiagnostic('snapshot/missing-table', { table: part.table, needed: part.table === plan.source ? 'kpiops.yaml' : `source ${plan.source}` }, { file: input.manifestPath, table: part.table }));
    }
    const staged = missing.length === 0 && plan.parts.every((p) => loaded.has(p.table)) ? await stage(db, plan, fileOf, report) : undefined;
    if (!staged) {
      failed.add(plan.source);
      return;
    }
    // Several deliveries of one row: the latest one stays, before the key checks see the table.
    await keepLatestDelivery({ db, source: plan.source, spec: plan.spec, file: fileOf(plan.parts[0]!.table), ...(staged.parts ? { fileOf } : {}), report });
    const ctx = { db, source: plan.source, spec: plan.spec, file: fileOf(plan.parts[0]!.table), asOf: manifest.as_of, channels: project.channels.map((c) => c.id), rawColumns: staged.rawColumns, ...(staged.parts ? { parts: staged.parts } : {}), fileOf, report };
    await runChecks(ctx);
    if (diagnostics.slice(before).some((d) => d.severity === 'error')) {
      failed.add(plan.source);
    } else {
      if (staged.view) {
        // A Parquet file of the declared types: the table is a view reading the file in place.
        await db.run(`CREATE VIEW ${ident(plan.source)} AS ${staged.view}`);
        if (staged.file !== undefined) files.set(plan.source, staged.file);
      } else if (staged.rawColumns.size === 0) {
        // Nothing to drop: the staged table is the table (no copy of millions of rows).
        await db.run(`ALTER TABLE ${stagedTable(plan.source)} RENAME TO ${ident(plan.source)}`);
      } else {
        const columns = Object.keys(plan.spec.columns).map(ident).join(', ');
        await db.run(`CREATE TABLE ${ident(plan.source)} AS SELECT ${columns} FROM ${stagedTable(plan.source)}`);
      }
      const [{ n }] = (await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${ident(plan.source)}`)) as [{ n: number }];
      tables.set(plan.source, n);
    }
  }
  for (const plan of allPlans) {
    input.onStep?.(`checking ${plan.source}`);
    try {
      await loadSource(plan);
    } catch (error) {
      const reason = errorReason(error);
      report(dataDiagnostic('snapshot/load-failed', { table: plan.source, reason }, { file: input.manifestPath, table: plan.source }));
      failed.add(plan.source);
      tables.delete(plan.source);
      await db.drop(plan.source);
    }
    await db.drop(`staged$${plan.source}`);
  }
  const fileColumns = new Map<string, string[]>();
  for (const table of Object.keys(manifest.tables)) {
    if (loaded.has(table)) fileColumns.set(table, (await db.all<{ name: string }>(`SELECT column_name AS name FROM (DESCRIBE ${rawTable(table)})`)).map((c) => c.name));
    await db.drop(`raw$${table}`);
  }
  input.onStep?.('checking references');
  const sourceFile = (source: string) => fileOf(allPlans.find((p) => p.source === source)!.parts[0]!.table);
  await unknownReferences(db, project, new Set(tables.keys()), sourceFile, report);
  const blocked = kpisReading(project);
  for (const source of failed) {
    const kpis = blocked.get(source) ?? [];
    if (kpis.length > 0) report(dataDiagnostic('snapshot/blocked-kpis', { table: source, kpis }, { file: input.manifestPath, table: source }));
  }
  if (absent.size > 0) notes.push(absentNote(project, [...absent]));
  const hcpColumns = new Map([...tables.keys()].flatMap((source) => {
    const column = entityColumn(project, source);
    return column === undefined ? [] : [[source, column] as const];
  }));
  const unordered = await db.splitByHcp({ entity: { table: project.entity.source, key: project.entity.key }, columns: hcpColumns, files }, input.rowsPerPart);
  if (unordered) {
    const column = hcpColumns.get(unordered.table)!;
    notes.push(`${unordered.table} has ${unordered.rows.toLocaleString('en-US')} rows, more than the memory limit holds in one piece, and is not a Parquet file sorted by ${column}: its queries read it whole and may spill to disk. Exported as Parquet sorted by ${column}, they run in parts that fit in memory (docs/scale.md).`);
  }
  await db.lock();
  return { db, tables, failed, absent, notes, diagnostics, fileColumns };
}

/** Says once which sources are left out and which reference checks that skips. */
function absentNote(project: Pick<ProjectModel, 'sources'>, absent: readonly string[]): string {
  const one = absent.length === 1;
  const refs = Object.entries(project.sources).filter(([source]) => !absent.includes(source)).flatMap(([source, spec]) =>
    Object.entries(spec.columns).filter(([, c]) => c.references !== undefined && absent.includes(c.references))
      .map(([column, c]) => ({ column: `${source}.${column}`, target: c.references! })));
  const skipped = refs.length === 0 ? ''
    : one ? `; ${refs.map((r) => r.column).join(', ')} ${refs.length === 1 ? 'is' : 'are'} not checked against it`
      : `; ${refs.map((r) => `${r.column} is not checked against ${r.target}`).join(', ')}`;
  return one
    ? `The snapshot has no file for ${absent[0]} and no KPI or scorecard reads it, so it is left out${skipped}.`
    : `The snapshot has no files for ${absent.join(', ')} and no KPI or scorecard reads them, so they are left out${skipped}.`;
}
