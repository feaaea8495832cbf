import { exitCodeFor } from '../diagnostics/diagnostic.js';
import { formatExplanation } from '../explain/format.js';
import { explainKpi, explainTarget } from '../pipeline/explain.js';
import { jsonText } from '../text/terminal.js';
import type { CliIo } from './io.js';
import { projectOrExit, report as reportTo } from './output.js';
import { progress as makeProgress } from './progress.js';
import { openAtPeriod } from './snapshot-period.js';

export interface ExplainOptions {
  project: string;
  snapshot: string;
  period?: string;
  vs: 'previous' | 'last_year';
  by?: string;
  format: 'text' | 'json';
  memoryLimit?: string;
  quiet?: boolean;
}

/**
 * `kpiops explain KPI`: why a KPI moved between a period and the one before (or a year
 * before), split exactly by the parts of its formula and by its dimensions' slices.
 * Exit 0 explained, 1 when the data cannot answer, 2 on a wrong argument.
 */
export async function explainCommand(id: string, options: ExplainOptions, io: CliIo): Promise<number> {
  const project = await projectOrExit(options.project, io);
  if (typeof project === 'number') return project;
  const by = options.by?.split(',').map((d) => d.trim()).filter((d) => d !== '');
  // A wrong name is said before the snapshot loads.
  const target = explainTarget(project, id, by);
  if ('problem' in target) return io.err.write(`kpiops: ${target.problem}\n`), target.code;
  const progress = makeProgress(io.err, Boolean(options.quiet));
  const opened = await openAtPeriod(project, options, io, progress);
  if (typeof opened === 'number') return opened;
  const { open, period, texts, diagnostics } = opened;
  try {
    const out = await explainKpi({ project, db: open.loaded.db, snapshot: open.meta, blocked: open.blocked, kpi: id, period, vs: options.vs, ...(by ? { by } : {}), texts, onQuery: (q) => progress.step(`Evaluating: ${q}`) });
    progress.done();
    reportTo(diagnostics, texts, io);
    if ('problem' in out) return io.err.write(`kpiops: ${out.problem}\n`), out.code;
    io.out.write(options.format === 'json' ? `${jsonText(out.explanation)}\n` : formatExplanation(out.explanation, out.kpi));
    return exitCodeFor(diagnostics);
  } finally {
    progress.done();
    open.loaded.db.close();
  }
}
