import { exitCodeFor } from '../diagnostics/diagnostic.js';
import { suggestTargetsFromHistory, targetsRequestProblem, type TargetsRequest } from '../pipeline/targets.js';
import { suggestionRows } from '../targets/json.js';
import { targetPatch } from '../targets/patch.js';
import { jsonText, terminalText } from '../text/terminal.js';
import type { CliIo } from './io.js';
import { projectOrExit, report } from './output.js';
import { progress as makeProgress } from './progress.js';
import { openAtPeriod } from './snapshot-period.js';

export interface TargetsOptions {
  project: string;
  snapshot?: string;
  kpi?: string;
  percentile: string;
  periods: string;
  period?: string;
  format: 'yaml' | 'json';
  quiet?: boolean;
}

/** A whole number as typed, or NaN, so "12abc" and "" are not read as 12 and 0. */
const whole = (text: string) => (/^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN);

/**
 * `kpiops targets suggest`: each KPI's target from its own history, as the `target:` block
 * to paste into each KPI file (or JSON rows). Exit 0, 1 when the project or data had
 * errors, 2 on usage.
 */
export async function targetsSuggestCommand(options: TargetsOptions, io: CliIo): Promise<number> {
  const usage = (message: string) => (io.err.write(`kpiops: ${terminalText(message)}\n`), 2);
  const request: TargetsRequest = {
    percentile: whole(options.percentile), periods: whole(options.periods),
    ...(options.kpi !== undefined ? { kpis: options.kpi.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
  };
  const early = targetsRequestProblem(undefined, request);
  if (early) return usage(early.replace('"NaN"', `"${options[early.startsWith('--percentile') ? 'percentile' : 'periods']}"`));
  if (request.kpis?.length === 0) return usage('--kpi needs at least one KPI id');
  if (!options.snapshot) return usage('targets suggest needs --snapshot DIR: the history comes from the data');
  const project = await projectOrExit(options.project, io);
  if (typeof project === 'number') return project;
  const unknown = targetsRequestProblem(project.model, request);
  if (unknown) return usage(unknown);
  const progress = makeProgress(io.err, Boolean(options.quiet));
  const opened = await openAtPeriod(project, { ...options, snapshot: options.snapshot }, io, progress);
  if (typeof opened === 'number') return opened;
  const { open, period, texts, diagnostics } = opened;
  try {
    const list = await suggestTargetsFromHistory({ project, db: open.loaded.db, snapshot: open.meta, blocked: open.blocked, period, texts, request, onQuery: (id) => progress.step(`Evaluating: ${id}`) });
    progress.done();
    if (options.format === 'json') io.out.write(`${jsonText(suggestionRows(list))}\n`);
    else {
      const byId = new Map(project.model.kpis.map((k) => [k.id, k]));
      io.out.write(terminalText(list.map(({ file, suggestion }) => targetPatch(byId.get(suggestion.kpi)!, file, suggestion)).join('\n'), { lines: true }));
    }
    report(diagnostics, texts, io);
    const figures = list.flatMap((x) => x.suggestion.slices).filter((s) => s.suggested !== null).length;
    const refused = list.filter((x) => x.suggestion.refused).length;
    const kpis = (n: number) => `${n} KPI${n === 1 ? '' : 's'}`;
    io.err.write(`✔ ${figures} target${figures === 1 ? '' : 's'} suggested for ${kpis(list.length - refused)} from up to ${request.periods} ${period.grain}${request.periods === 1 ? '' : 's'} of history before ${period.label}${refused ? `; nothing for ${kpis(refused)} (the output says why)` : ''}\n`);
    return exitCodeFor(diagnostics);
  } finally {
    progress.done();
    open.loaded.db.close();
  }
}
