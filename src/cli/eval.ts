import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exitCodeFor } from '../diagnostics/diagnostic.js';
import type { Calendar } from '../model/period.js';
import { evaluateResults } from '../pipeline/evaluate.js';
import { staleWords } from '../scorecard/stale-words.js';
import type { Results } from '../spec/results.js';
import { jsonText, terminalText } from '../text/terminal.js';
import type { CliIo } from './io.js';
import { projectOrExit, report as reportTo } from './output.js';
import { progress as makeProgress } from './progress.js';
import { openAtPeriod } from './snapshot-period.js';

export interface EvalOptions {
  project: string;
  snapshot: string;
  period?: string;
  out?: string;
  memoryLimit?: string;
  /** Reuse rows of queries already run on the same data (`--no-cache`: false). */
  cache?: boolean;
  quiet?: boolean;
}

/** The KPIs that show an earlier period than asked, `id (period)`, grouped by the reason in words. */
function staleByReason(results: Results, calendar: Calendar): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of results.kpis.filter((x) => x.stale)) {
    const why = staleWords(k.stale!, results.snapshot.as_of, calendar);
    out.set(why, [...(out.get(why) ?? []), `${k.id} (${k.period.label})`]);
  }
  return out;
}

/** Makes the folder of `--out` before the work: a path that cannot be written is said at once, not after evaluating. */
function outFolderProblem(out: string): string | undefined {
  try {
    mkdirSync(dirname(out), { recursive: true });
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return `--out ${terminalText(out)}: its folder cannot be made (${code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is where a folder should be' : code})`;
  }
}

/**
 * `kpiops eval`: validates the project, loads and checks the snapshot, evaluates every KPI
 * whose data passed its checks and writes `results/v1` JSON. Exit 0 clean, 1 when the
 * project or data had errors (KPIs on failed tables are listed as blocked), 2 on usage.
 */
export async function evalCommand(options: EvalOptions, io: CliIo): Promise<number> {
  const outProblem = options.out ? outFolderProblem(options.out) : undefined;
  if (outProblem) return io.err.write(`kpiops: ${outProblem}\n`), 2;
  const project = await projectOrExit(options.project, io);
  if (typeof project === 'number') return project;
  const progress = makeProgress(io.err, Boolean(options.quiet));
  const opened = await openAtPeriod(project, options, io, progress);
  if (typeof opened === 'number') return opened;
  const { open, period, texts, diagnostics } = opened;
  try {
    const started = performance.now();
    const results = await evaluateResults({ validated: project, db: open.loaded.db, snapshot: open.meta, period, blocked: open.blocked, texts, onQuery: (id) => progress.step(`Evaluating: ${id}`) });
    progress.done();
    const text = `${jsonText(results)}\n`;
    if (options.out) {
      try {
        writeFileSync(options.out, text);
      } catch (error) {
        io.err.write(`kpiops: --out ${terminalText(options.out)} cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)}); the results were not saved\n`);
        return 2;
      }
    } else io.out.write(text);
    reportTo(diagnostics, texts, io);
    for (const note of open.loaded.notes) io.err.write(`ℹ ${terminalText(note)}\n`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.err.write(`✔ ${results.kpis.length} KPIs evaluated for ${period.label} in ${seconds} s${options.out ? ` → ${options.out}` : ''}\n`);
    for (const [why, ids] of staleByReason(results, project.model.calendar)) io.err.write(`  reported for an earlier period (${why}): ${ids.join(', ')}\n`);
    if (open.blocked.length > 0) io.err.write(`✖ not computed (data failed its checks): ${open.blocked.map((b) => `${b.kpi} (${b.table})`).join(', ')}\n`);
    return exitCodeFor(diagnostics);
  } finally {
    progress.done();
    open.loaded.db.close();
  }
}
