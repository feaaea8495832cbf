import { exitCodeFor, type Diagnostic } from '../diagnostics/diagnostic.js';
import { lastCoveredPeriod, notStarted, type Calendar, type Period } from '../model/period.js';
import type { Project } from '../pipeline/project.js';
import { cacheDir, openSnapshot, snapshotDir, type OpenSnapshot } from '../pipeline/snapshot.js';
import { terminalText } from '../text/terminal.js';
import type { CliIo } from './io.js';
import { periodOption, report } from './output.js';
import type { Progress } from './progress.js';

export interface SnapshotAtPeriod {
  open: OpenSnapshot;
  period: Period;
  /** The project's and the snapshot's file texts, for messages with their lines. */
  texts: Map<string, string>;
  diagnostics: Diagnostic[];
}

/** The period a command reads when `--period` is not given, from the data's as-of date. */
export type DefaultPeriod = (asOf: Date, calendar: Calendar) => Period;

/** The last month the data covers: the default of every command that reads one period. */
export const lastCoveredMonth: DefaultPeriod = (asOf, calendar) => lastCoveredPeriod('month', asOf, undefined, calendar);

/**
 * The snapshot a command evaluates, opened and checked, and the period `--period` asks for
 * (default: `fallback`, the last month the snapshot covers unless a command says otherwise).
 * When either fails: what went wrong is printed, the data is closed, and the exit code comes
 * back (1 for the data, 2 for usage). The caller closes `open.loaded.db` when it is done.
 */
export async function openAtPeriod(project: Project, options: { project: string; snapshot: string; period?: string; memoryLimit?: string; cache?: boolean }, io: CliIo, progress: Progress, fallback: DefaultPeriod = lastCoveredMonth): Promise<SnapshotAtPeriod | number> {
  const checked = await openSnapshot(project, snapshotDir(options.project, options.snapshot), { ...(options.memoryLimit ? { memoryLimit: options.memoryLimit } : {}), ...(options.cache ? { cache: cacheDir(io.env) } : {}), onStep: (step) => progress.step(`Loading snapshot: ${step}`) });
  const texts = new Map([...project.texts, ...checked.texts]);
  const diagnostics = [...project.diagnostics, ...checked.diagnostics];
  const { open } = checked;
  if (!open) return progress.done(), report(diagnostics, texts, io), exitCodeFor(diagnostics);
  const asOf = new Date(open.manifest.as_of);
  const { calendar } = project.model;
  const period = periodOption(options.period, calendar, () => fallback(asOf, calendar));
  const stop = typeof period === 'string' ? { message: period, code: 2 } : ((m) => (m ? { message: m, code: 1 } : undefined))(notStarted(period, asOf, calendar));
  if (typeof period === 'string' || stop) {
    progress.done();
    open.loaded.db.close();
    io.err.write(`kpiops: ${terminalText(stop!.message)}\n`);
    return stop!.code;
  }
  return { open, period, texts, diagnostics };
}
