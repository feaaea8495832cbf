import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedSnapshot } from '../engine/duckdb/load-snapshot.js';
import { PostgresDatabase, PostgresError } from '../engine/postgres/database.js';
import { liveFingerprint, missingInWarehouse, recordedSnapshot, recordSnapshot, unanalysed } from '../engine/postgres/catalog.js';
import type { CopiedTable } from '../engine/postgres/load.js';
import { kpisReading, type ProjectModel } from '../model/project-model.js';
import type { SnapshotDir } from '../source/snapshot.js';
import type { Results } from '../spec/results.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import type { SnapshotSpec } from '../spec/snapshot.js';
import { checkManifest } from '../validate/manifest.js';
import type { ValidatedProject } from '../validate/project.js';
import { modelOf } from './project.js';
import { DEFAULT_MEMORY_LIMIT, openSnapshot, snapshotDir as snapshotDirOf, snapshotOf } from './snapshot.js';

/** How to reach the warehouse: the URL from the environment, the schema and table names from kpiops.yaml (or `--schema`). */
export interface WarehouseSettings {
  url: string;
  schema: string;
  tables: Record<string, string>;
  /** Seconds a statement may run. */
  timeout: number;
}

/** The warehouse settings, or what is wrong with them in words. */
export function warehouseSettings(project: Pick<ProjectModel, 'warehouse'>, env: NodeJS.ProcessEnv, schemaOption?: string): WarehouseSettings | string {
  const { warehouse } = project;
  const variable = warehouse.urlEnv ?? 'DATABASE_URL';
  const url = env[variable];
  if (!url) return `the PostgreSQL connection URL goes in $${variable} (postgres://user@host:port/database${warehouse.urlEnv ? '; warehouse.url_env in kpiops.yaml names the variable' : ''})`;
  if (!/^postgres(ql)?:\/\//.test(url)) return `$${variable} must be a PostgreSQL URL starting with postgres:// (got one starting with "${url.split(':')[0]}:")`;
  const schema = schemaOption ?? warehouse.schema;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) return `--schema must be a plain name (letters, digits, _), got "${schema}"`;
  return { url, schema, tables: { ...warehouse.tables }, timeout: warehouse.statementTimeoutS };
}

/** Reads an `--as-of` value (none: undefined), or says what one looks like. */
export function asOfOption(text: string | undefined): Date | undefined | string {
  if (text === undefined) return undefined;
  const asOf = new Date(text);
  return Number.isNaN(asOf.getTime()) ? `--as-of must be a date or timestamp such as 2026-11-01 (got "${text}")` : asOf;
}

/** The data a command reads on the warehouse, shaped as a loaded snapshot is for DuckDB. */
export interface WarehouseData {
  db: PostgresDatabase;
  /** Sources the warehouse cannot serve (missing, lacking a column, or empty): nothing reads them. */
  failed: Set<string>;
  /** Always empty: a warehouse leaves no source out on purpose. */
  absent: Set<string>;
  /** Each failed source's problem, naming the warehouse table. */
  problems: string[];
  /** The same problems by source. */
  problemBySource: ReadonlyMap<string, string>;
  /** Tables without statistics. */
  unanalysed: string[];
  /** KPIs not computed because a table they read failed. */
  blocked: Results['blocked'];
  /** What results say about the data. */
  snapshot: Results['snapshot'];
}

export interface OpenWarehouseInput {
  validated: ValidatedProject;
  settings: WarehouseSettings;
  /** The snapshot load-postgres copied, for its as-of date and checksum. */
  snapshot?: SnapshotDir;
  /** The data's as-of date when no snapshot is named (default: what load-postgres recorded, else now). */
  asOf?: Date;
  /** Scorecards to be run: the tables their briefs read are checked too. */
  scorecards?: readonly ScorecardSpec[];
  onStep?: (step: string) => void;
}

/**
 * Connects to the warehouse (read-only) and checks the tables the KPIs, and the briefs of
 * `scorecards`, read. Returns the manifest's diagnostics instead when the named snapshot
 * has none. Throws `PostgresError` when the server cannot be reached or a query fails;
 * the caller closes `db`.
 */
export async function openWarehouse(input: OpenWarehouseInput): Promise<WarehouseData | { diagnostics: Diagnostic[]; manifestPath: string; manifestText?: string }> {
  const { validated, settings } = input;
  let named: Results['snapshot'] | undefined;
  if (input.snapshot) {
    const manifest = checkManifest(input.snapshot);
    if (!manifest.manifest) return { diagnostics: manifest.diagnostics, manifestPath: manifest.path, ...(manifest.text !== undefined ? { manifestText: manifest.text } : {}) };
    // The manifest is part of the configuration results are hashed with, as when DuckDB loads the snapshot.
    validated.texts.set(manifest.path, manifest.text ?? '');
    named = snapshotOf(manifest.manifest.spec, manifest.text ?? '');
  }
  input.onStep?.('Connecting to PostgreSQL');
  const db = await PostgresDatabase.connect({ url: settings.url, statementTimeoutS: settings.timeout, tables: { schema: settings.schema, tables: settings.tables } });
  try {
    const model = modelOf(validated);
    const bySource = kpisReading(model);
    const read = new Set(bySource.keys());
    if ((input.scorecards ?? []).some((c) => c.brief)) for (const source of model.briefReads) read.add(source);
    const missing = await missingInWarehouse(db, model, settings, read);
    const present = [...read].filter((r) => !missing.has(r));
    const blind = await unanalysed(db, settings, present);
    const blocked = [...missing.keys()].flatMap((table) => (bySource.get(table) ?? []).map((kpi) => ({ kpi, table })));
    const snapshot = named ?? (!input.asOf ? await recordedSnapshot(db, settings.schema) : undefined) ?? {
      id: `postgres:${db.where.split(' as ')[0]}/${settings.schema}`,
      as_of: (input.asOf ?? new Date()).toISOString(),
      checksum: await liveFingerprint(db, model, present),
    };
    return { db, failed: new Set(missing.keys()), absent: new Set(), problems: [...missing.values()], problemBySource: missing, unanalysed: blind, blocked, snapshot };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** The warning about tables without statistics, or none. */
export const unanalysedWarning = (tables: readonly string[]) => (tables.length === 0 ? undefined
  : `PostgreSQL has no statistics for ${tables.join(', ')}: it may plan these queries badly (minutes instead of seconds). Run ANALYZE on them, or let autovacuum do it.`);

/**
 * `load-postgres`: checks a snapshot as `eval` would and copies every table that passed
 * into the warehouse (one table per source, replaced), recording which snapshot the schema
 * now holds. Throws `PostgresError` when the server cannot be reached or a copy fails.
 */
export async function loadIntoWarehouse(validated: ValidatedProject, settings: WarehouseSettings, dir: SnapshotDir, memoryLimit: string | undefined, progress: { step(text: string): void }): Promise<{ diagnostics: Diagnostic[]; copied?: CopiedTable[]; failed?: Set<string>; where?: string; seconds?: string }> {
  const checked = await checkSnapshot(validated, dir, progress, memoryLimit ?? DEFAULT_MEMORY_LIMIT);
  const loaded = checked.loaded;
  if (!loaded) return { diagnostics: checked.diagnostics };
  let db: PostgresDatabase | undefined;
  try {
    progress.step('Connecting to PostgreSQL');
    db = await PostgresDatabase.connect({ url: settings.url, statementTimeoutS: settings.timeout, readOnly: false });
    const { copySnapshot } = await import('../engine/postgres/load.js');
    const started = performance.now();
    const copied = await copySnapshot(loaded.db, db, modelOf(validated), loaded.tables.keys(), settings.schema, (source) => progress.step(`Copying ${source} into PostgreSQL`));
    await recordSnapshot(db, settings.schema, snapshotOf(checked.manifest!, checked.manifestText ?? ''));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    return { diagnostics: checked.diagnostics, copied, failed: loaded.failed, where: db.where.split(' as ')[0]!, seconds };
  } finally {
    loaded.db.close();
    await db?.close();
  }
}

/** The data `kpiops run --engine postgres` reads, shaped as a checked snapshot is for DuckDB. */
export interface WarehouseRun {
  diagnostics: Diagnostic[];
  loaded?: { db: PostgresDatabase; failed: Set<string>; absent: Set<string>; notes: string[] };
  snapshot?: Results['snapshot'];
  /** None: the warehouse, not a manifest, says what the data is (`snapshot`). */
  manifest?: undefined;
  manifestText?: undefined;
  /** A setting or connection problem in words, and the exit code it ends with. */
  problem?: { text: string; code: number };
}

/**
 * Opens the warehouse for `run`: settings from kpiops.yaml and the environment, the tables
 * the KPIs and the scorecards' briefs read checked, the snapshot named as `eval --engine
 * postgres` names it. Tables the warehouse cannot serve are `failed`, and said through `onFinding`.
 */
export async function warehouseRun(input: { validated: ValidatedProject; scorecards: readonly ScorecardSpec[]; project: string; snapshot?: string; schema?: string; asOf?: string; env: NodeJS.ProcessEnv; onStep?: (step: string) => void; onFinding?: (line: string) => void }): Promise<WarehouseRun> {
  const settings = warehouseSettings(modelOf(input.validated), input.env, input.schema);
  if (typeof settings === 'string') return { diagnostics: [], problem: { text: settings, code: 2 } };
  const asOf = asOfOption(input.asOf);
  if (typeof asOf === 'string') return { diagnostics: [], problem: { text: asOf, code: 2 } };
  try {
    const opened = await openWarehouse({
      validated: input.validated, settings, scorecards: input.scorecards, ...(input.onStep ? { onStep: input.onStep } : {}),
      ...(input.snapshot ? { snapshot: snapshotDirOf(input.project, input.snapshot) } : {}), ...(asOf ? { asOf } : {}),
    });
    if ('diagnostics' in opened) {
      if (opened.manifestText !== undefined) input.validated.texts.set(opened.manifestPath, opened.manifestText);
      return { diagnostics: opened.diagnostics };
    }
    // Said at once, as a snapshot's failed checks are: a brief reading a missing table refers to them.
    for (const problem of opened.problems) input.onFinding?.(`✖ ${problem}`);
    const blind = unanalysedWarning(opened.unanalysed);
    if (blind) input.onFinding?.(`⚠ ${blind}`);
    return { diagnostics: [], loaded: { db: opened.db, failed: opened.failed, absent: opened.absent, notes: [] }, snapshot: opened.snapshot };
  } catch (error) {
    if (error instanceof PostgresError) return { diagnostics: [], problem: { text: error.message, code: 1 } };
    throw error;
  }
}

/**
 * The snapshot checks in the shape the warehouse commands read. It adds the manifest's text
 * to the project's texts, which the configuration hash of their results has always covered.
 * The caller closes the returned database.
 */
async function checkSnapshot(validated: ValidatedProject, snapshot: SnapshotDir, progress: { step(text: string): void }, memoryLimit: string): Promise<{ diagnostics: Diagnostic[]; loaded?: LoadedSnapshot; manifest?: SnapshotSpec; manifestText?: string }> {
  const checked = await openSnapshot(validated, snapshot, { memoryLimit, onStep: (step) => progress.step(`Loading snapshot: ${step}`) });
  for (const [path, text] of checked.texts) validated.texts.set(path, text);
  const { open } = checked;
  if (!open) return { diagnostics: checked.diagnostics };
  return { diagnostics: checked.diagnostics, loaded: open.loaded, manifest: open.manifest, manifestText: checked.texts.values().next().value ?? '' };
}
