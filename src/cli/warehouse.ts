import { writeFileSync } from 'node:fs';
import { exitCodeFor, hasErrors } from '../diagnostics/diagnostic.js';
import { PostgresError } from '../engine/postgres/database.js';
import { notStarted, type Period } from '../model/period.js';
import type { ProjectModel } from '../model/project-model.js';
import { asOfOption, loadIntoWarehouse, openWarehouse, unanalysedWarning, warehouseSettings, type WarehouseData, type WarehouseSettings } from '../pipeline/warehouse.js';
import { jsonText } from '../text/terminal.js';
import { validateProject, type ValidatedProject } from '../validate/project.js';
import { evaluateResults } from '../pipeline/evaluate.js';
import { modelOf } from '../pipeline/project.js';
import { periodOption, report } from './output.js';
import type { CliIo } from './io.js';
import { progress as makeProgress, type Progress } from './progress.js';
import { lastCoveredMonth, type DefaultPeriod } from './snapshot-period.js';
import { DEFAULT_MEMORY_LIMIT, snapshotDir } from '../pipeline/snapshot.js';
import { terminalText } from '../text/terminal.js';

export { warehouseSettings } from '../pipeline/warehouse.js';

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** The validated project and the warehouse settings, or the exit code when either is wrong (after saying why). */
async function projectAndSettings(options: { project: string; schema?: string }, s: Streams) {
  const validated = await validateProject(options.project);
  if (hasErrors(validated.diagnostics) || !validated.files.project) {
    report(validated.diagnostics, validated.texts, s);
    return exitCodeFor(validated.diagnostics);
  }
  const project = validated.files.project.spec;
  const settings = settingsOrExit(modelOf(validated), options, s);
  if (typeof settings === 'number') return settings;
  return { validated, project, settings };
}

/** The warehouse settings from kpiops.yaml, `--schema` and the environment, or exit 2 after saying what is wrong. */
export function settingsOrExit(model: Pick<ProjectModel, 'warehouse'>, options: { schema?: string }, s: Pick<CliIo, 'err' | 'env'>): WarehouseSettings | number {
  const settings = warehouseSettings(model, s.env, options.schema);
  if (typeof settings !== 'string') return settings;
  s.err.write(`kpiops: ${settings}\n`);
  return 2;
}

/** A PostgreSQL failure is said in words (exit 1); anything else is a bug and goes up. */
export function failed(error: unknown, s: Pick<CliIo, 'err'>): number {
  if (!(error instanceof PostgresError)) throw error;
  s.err.write(`kpiops: ${error.message}\n`);
  return 1;
}

/** What the warehouse checks found, before any result: each table it cannot serve, and tables without statistics. */
export function warehouseFindings(data: WarehouseData, s: Pick<CliIo, 'err'>): void {
  for (const problem of data.problems) s.err.write(`✖ ${problem}\n`);
  const blind = unanalysedWarning(data.unanalysed);
  if (blind) s.err.write(`⚠ ${blind}\n`);
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

/** What a command that reads one period on the warehouse is given: the data, checked, and the period. */
export interface WarehouseAtPeriod {
  data: WarehouseData;
  period: Period;
}

export interface WarehouseAtPeriodInput {
  validated: ValidatedProject;
  settings: WarehouseSettings;
  options: { project: string; snapshot?: string; asOf?: string; period?: string };
  progress: Progress;
  /** The period when `--period` is not given (default: the last month the data covers). */
  fallback?: DefaultPeriod;
  /** What the warehouse checks found, said before the period is read. */
  onOpened?: (data: WarehouseData) => void;
}

/**
 * The warehouse opened (read-only) and checked, as for `eval --engine postgres`, and the
 * period `--period` asks for. When the as-of date, the snapshot, the connection or the
 * period is wrong: what went wrong is said, the session closed, and the exit code comes back
 * (1 for the data or the server, 2 for usage). The caller closes `data.db`.
 */
export async function openWarehouseAtPeriod(input: WarehouseAtPeriodInput, s: Pick<CliIo, 'err' | 'env'>): Promise<WarehouseAtPeriod | number> {
  const { validated, settings, options, progress } = input;
  const asOf = asOfOption(options.asOf);
  if (typeof asOf === 'string') {
    s.err.write(`kpiops: ${asOf}\n`);
    return 2;
  }
  let data: WarehouseData | undefined;
  try {
    const opened = await openWarehouse({ validated, settings, ...(options.snapshot ? { snapshot: snapshotDir(options.project, options.snapshot) } : {}), ...(asOf ? { asOf } : {}), onStep: (step) => progress.step(step) });
    if ('diagnostics' in opened) {
      progress.done();
      if (opened.manifestText !== undefined) validated.texts.set(opened.manifestPath, opened.manifestText);
      report(opened.diagnostics, validated.texts, s);
      return exitCodeFor(opened.diagnostics);
    }
    data = opened;
    input.onOpened?.(data);
    const { calendar } = modelOf(validated);
    const dataAsOf = new Date(data.snapshot.as_of);
    const period = periodOption(options.period, calendar, () => (input.fallback ?? lastCoveredMonth)(dataAsOf, calendar));
    const stop = typeof period === 'string' ? { message: period, code: 2 } : ((m) => (m ? { message: m, code: 1 } : undefined))(notStarted(period, dataAsOf, calendar));
    if (typeof period === 'string' || stop) {
      progress.done();
      s.err.write(`kpiops: ${terminalText(stop!.message)}\n`);
      await data.db.close();
      return stop!.code;
    }
    return { data, period };
  } catch (error) {
    progress.done();
    await data?.db.close();
    return failed(error, s);
  }
}

/**
 * `kpiops eval --engine postgres`: the same plan, compiled for PostgreSQL and run in a
 * read-only session on the warehouse. KPIs whose tables or columns are missing there are
 * listed as blocked, like KPIs on data that failed its checks.
 */
export async function evalPostgres(options: WarehouseEvalOptions, s: Streams): Promise<number> {
  const ready = await projectAndSettings(options, s);
  if (typeof ready === 'number') return ready;
  const { validated, settings } = ready;
  const progress = makeProgress(s.err, Boolean(options.quiet));
  const opened = await openWarehouseAtPeriod({ validated, settings, options, progress, onOpened: (data) => warehouseFindings(data, s) }, s);
  if (typeof opened === 'number') return opened;
  const { data: { db, snapshot, blocked }, period } = opened;
  try {
    const started = performance.now();
    const results = await evaluateResults({ validated, db, snapshot, period, blocked, onQuery: (id) => progress.step(`Evaluating on PostgreSQL: ${id}`) });
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
    await db.close();
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
  const { validated, settings } = ready;
  const progress = makeProgress(s.err, Boolean(options.quiet));
  try {
    const loaded = await loadIntoWarehouse(validated, settings, snapshotDir(options.project, options.snapshot), options.memoryLimit ?? DEFAULT_MEMORY_LIMIT, progress);
    progress.done();
    report(loaded.diagnostics, validated.texts, s);
    if (!loaded.copied) return exitCodeFor(loaded.diagnostics);
    s.err.write(`✔ ${loaded.copied.length} tables copied into ${loaded.where}, schema ${settings.schema}, in ${loaded.seconds} s: ${loaded.copied.map((c) => `${c.source} (${c.rows.toLocaleString('en-US')} rows)`).join(', ')}\n`);
    if (loaded.failed && loaded.failed.size > 0) s.err.write(`✖ not copied (data failed its checks): ${[...loaded.failed].join(', ')}\n`);
    return exitCodeFor(loaded.diagnostics);
  } catch (error) {
    progress.done();
    return failed(error, s);
  } finally {
    progress.done();
  }
}
