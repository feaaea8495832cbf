import { exitCodeFor } from '../diagnostics/diagnostic.js';
import { formatExplanation } from '../explain/format.js';
import { explainKpi, explainTarget, type ExplainInput, type ExplainTarget } from '../pipeline/explain.js';
import type { Project } from '../pipeline/project.js';
import { unanalysedWarning } from '../pipeline/warehouse.js';
import { jsonText } from '../text/terminal.js';
import type { CliIo } from './io.js';
import { projectOrExit, report as reportTo } from './output.js';
import { progress as makeProgress, type Progress } from './progress.js';
import { openAtPeriod } from './snapshot-period.js';
import { failed, openWarehouseAtPeriod, settingsOrExit } from './warehouse.js';

export interface ExplainOptions {
  project: string;
  /** Required on DuckDB; on PostgreSQL, the snapshot load-postgres copied (for its as-of date), as for eval. */
  snapshot?: string;
  period?: string;
  vs: 'previous' | 'last_year';
  by?: string;
  /** Explain the KPI as this scorecard reads it: its period grain, its `explain.by` dimensions. */
  scorecard?: string;
  format: 'text' | 'json';
  engine?: 'duckdb' | 'postgres';
  schema?: string;
  asOf?: string;
  memoryLimit?: string;
  quiet?: boolean;
}

/** What both engines hand the explanation: the KPI asked, split as asked, and how to print it. */
type Asked = { id: string; target: ExplainTarget; options: ExplainOptions };

/** The explanation printed, or what stopped it said; its exit code. */
async function explainAndPrint(asked: Asked, input: Omit<ExplainInput, 'kpi' | 'vs' | 'by'>, progress: Progress, io: CliIo, after: () => void): Promise<number | undefined> {
  const out = await explainKpi({ ...input, kpi: asked.id, vs: asked.options.vs, by: asked.target.dimensions });
  progress.done();
  after();
  if ('problem' in out) return io.err.write(`kpiops: ${out.problem}\n`), out.code;
  io.out.write(asked.options.format === 'json' ? `${jsonText(out.explanation)}\n` : formatExplanation(out.explanation, out.kpi));
  return undefined;
}

/**
 * `kpiops explain KPI`: why a KPI moved between a period and the one before (or a year
 * before), split exactly by the parts of its formula and by its dimensions' slices; with
 * `--scorecard`, as that scorecard reads it. Exit 0 explained, 1 when the data cannot
 * answer, 2 on a wrong argument.
 */
export async function explainCommand(id: string, options: ExplainOptions, io: CliIo): Promise<number> {
  const project = await projectOrExit(options.project, io);
  if (typeof project === 'number') return project;
  const by = options.by?.split(',').map((d) => d.trim()).filter((d) => d !== '');
  // A wrong name is said before the data is opened.
  const target = explainTarget(project, id, by, options.scorecard);
  if ('problem' in target) return io.err.write(`kpiops: ${target.problem}\n`), target.code;
  const asked = { id, target, options };
  if (options.engine === 'postgres') return explainOnWarehouse(project, asked, io);
  if (!options.snapshot) return io.err.write('kpiops: explain needs --snapshot DIR (or --engine postgres to run on a warehouse)\n'), 2;
  const progress = makeProgress(io.err, Boolean(options.quiet));
  const opened = await openAtPeriod(project, { ...options, snapshot: options.snapshot }, io, progress, target.defaultPeriod);
  if (typeof opened === 'number') return opened;
  const { open, period, texts, diagnostics } = opened;
  try {
    const input = { project, db: open.loaded.db, snapshot: open.meta, blocked: open.blocked, period, texts, onQuery: (q: string) => progress.step(`Evaluating: ${q}`) };
    return await explainAndPrint(asked, input, progress, io, () => reportTo(diagnostics, texts, io)) ?? exitCodeFor(diagnostics);
  } finally {
    progress.done();
    open.loaded.db.close();
  }
}

/**
 * `kpiops explain --engine postgres`: the same explanation, evaluated on the warehouse in a
 * read-only session, opened and checked as `kpiops eval --engine postgres` opens it. Only
 * the tables the KPI reads matter: a missing one is said as the reason it is not computed.
 */
async function explainOnWarehouse(project: Project, asked: Asked, io: CliIo): Promise<number> {
  const { options } = asked;
  const settings = settingsOrExit(project.model, options, io);
  if (typeof settings === 'number') return settings;
  const progress = makeProgress(io.err, Boolean(options.quiet));
  const opened = await openWarehouseAtPeriod({ validated: project, settings, options, progress, ...(asked.target.defaultPeriod ? { fallback: asked.target.defaultPeriod } : {}) }, io);
  if (typeof opened === 'number') return opened;
  const { data, period } = opened;
  try {
    const input = {
      project, db: data.db, snapshot: data.snapshot, blocked: data.blocked, period, texts: project.texts, unreadable: data.problemBySource,
      onQuery: (q: string) => progress.step(`Evaluating on PostgreSQL: ${q}`),
    };
    const blind = unanalysedWarning(data.unanalysed);
    return await explainAndPrint(asked, input, progress, io, () => blind && io.err.write(`⚠ ${blind}\n`)) ?? 0;
  } catch (error) {
    progress.done();
    return failed(error, io);
  } finally {
    progress.done();
    await data.db.close();
  }
}
