import { exitCodeFor, type Diagnostic } from '../diagnostics/diagnostic.js';
import { format } from '../diagnostics/format/index.js';
import { notStarted, parsePeriod, type Calendar, type Period } from '../model/period.js';
import { loadProject, type Project } from '../pipeline/project.js';
import type { CliIo } from './io.js';

/** Whether a stream is a terminal (colours, a spinner), for any stream a command is given. */
export const isTerminal = (stream: NodeJS.WritableStream) => Boolean((stream as Partial<NodeJS.WriteStream>).isTTY);

/** Prints findings on standard error: GitHub workflow commands in Actions, else the stylish format (coloured on a terminal). */
export function report(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, io: Pick<CliIo, 'err' | 'env'>, options: { plain?: boolean } = {}) {
  if (diagnostics.length === 0) return;
  if (options.plain) {
    io.err.write(format('stylish', diagnostics, { color: false, sources }));
    return;
  }
  const name = io.env.GITHUB_ACTIONS === 'true' ? 'github' : 'stylish';
  io.err.write(format(name, diagnostics, { color: isTerminal(io.err) && !io.env.NO_COLOR, sources }));
}

/**
 * Every command's first step: the project, checked. When it has errors (or no kpiops.yaml)
 * they are printed and the exit code is returned instead. `plain`: the stylish format
 * without colour, wherever it runs (`kpiops plan`).
 */
export async function projectOrExit(dir: string, io: Pick<CliIo, 'err' | 'env'>, options: { plain?: boolean } = {}): Promise<Project | number> {
  const loaded = await loadProject(dir);
  if (loaded.project) return loaded.project;
  report(loaded.diagnostics, loaded.texts, io, options);
  return exitCodeFor(loaded.diagnostics);
}

/** What a period looks like, said once for every command that takes `--period`. */
export const periodProblem = (text: string) => `--period must be a month (2026-10), an ISO week (2026-W43) or a quarter (2026-Q3); got "${text}"`;

/** Reads a `--period` value, or says what a period looks like. */
export function periodOption(text: string | undefined, calendar: Calendar, fallback: () => Period): Period | string {
  if (text === undefined) return fallback();
  return parsePeriod(text, calendar) ?? periodProblem(text);
}

/** An asked period, or none; the problem when it is not a period, or when the data does not reach it yet. */
export function askedPeriod(text: string | undefined, calendar: Calendar, asOf?: Date): { period?: Period } | { problem: string; code: number } {
  if (text === undefined) return {};
  const period = parsePeriod(text, calendar);
  if (!period) return { problem: periodProblem(text), code: 2 };
  const unstarted = asOf && notStarted(period, asOf, calendar);
  return unstarted ? { problem: unstarted, code: 1 } : { period };
}
