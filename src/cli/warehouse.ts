import { writeFileSync } from 'node:fs';
import { exitCodeFor, hasErrors } from '../diagnostics/diagnostic.js';
import { PostgresError } from '../engine/postgres/database.js';
import { lastCoveredPeriod, notStarted } from '../model/period.js';
import { asOfOption, loadIntoWarehouse, openWarehouse, unanalysedWarning, warehouseSettings, type WarehouseData } from '../pipeline/warehouse.js';
import { jsonText } from '../text/terminal.js';
import { validateProject } from '../validate/project.js';
import { evaluateResults } from '../pipeline/evaluate.js';
import { modelOf } from '../pipeline/project.js';
import { periodOption, report } from './output.js';
import { progress as makeProgress } from './progress.js';
import { DEFAULT_MEMORY_LIMIT, snapshotDir } from '../pipeline/snapshot.js';

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
  const settings = warehouseSettings(modelOf(validated), s.env, options.schema);
  if (typeof settings === 'string') {
    s.err.write(`kpiops: ${settings}\n`);
    return 2;
  }
  return { validated, project, settings };
}

/** A PostgreSQL failure is said in words (exit 1); anything else is a bug and goes up. */
export function failed(error: unknown, s: Pick<Streams, 'err'>): number {
  if (!(error instanceof PostgresError)) throw error;
  s.err.write(`kpiops: ${error.message}\n`);
  return 1;
}

/** What the warehouse checks found, before any result: each table it cannot serve, and tables without statistics. */
export function warehouseFindings(data: WarehouseData, s: Pick<Streams, 'err'>): void {
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

/**
 * `kpiops eval --engine postgres`: the same plan, compiled for PostgreSQL and run in a
 * read-only session on the warehouse. KPIs whose tables or columns are missing there are
 * listed as blocked, like KPIs on data that failed its checks.
 */
export async function evalPostgres(options: WarehouseEvalOptions, s: Streams): Promise<number> {
  const ready = await projectAndSettings(options, s);
  if (typeof ready === 'number') return ready;
  const { validated, settings } = ready;
  const asOf = asOfOption(options.asOf);
  if (typeof asOf === 'string') {
    s.err.write(`kpiops: ${asOf}\n`);
    return 2;
  }
  let data: WarehouseData | undefined;
  const progress = makeProgress(s.err, Boolean(options.quiet));
  try {
    const opened = await openWarehouse({ validated, settings, ...(options.snapshot ? { snapshot: snapshotDir(options.project, options.snapshot) } : {}), ...(asOf ? { asOf } : {}), onStep: (step) => progress.step(step) });
    if ('diagnostics' in opened) {
      progress.done();
      if (opened.manifestText !== undefined) validated.texts.set(opened.manifestPath, opened.manifestText);
      report(opened.diagnostics, validated.texts, s);
      return exitCodeFor(opened.diagnostics);
    }
    data = opened;
    const { db, snapshot, blocked } = data;
    warehouseFindings(data, s);
    const model = modelOf(validated);
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
    await data?.db.close();
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
