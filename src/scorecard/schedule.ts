import type { ScorecardSpec } from '../spec/scorecard.js';

/**
 * When each scorecard is sent is written once, in the scorecard's `schedule.cron`. The
 * workflow must list the same cron lines (GitHub starts scheduled runs only from the
 * workflow file) and asks kpiops which scorecard a line sends, so the two are checked
 * against each other here rather than mapped a second time in the workflow.
 */

/** A cron line with its fields separated by one space, as GitHub compares them. */
export const normalCron = (cron: string): string => cron.trim().split(/\s+/).join(' ');

/** The ids of the scorecards a cron line sends, in the order given. */
export function scorecardsOnCron(cron: string, scorecards: readonly ScorecardSpec[]): string[] {
  const want = normalCron(cron);
  return scorecards.filter((s) => s.schedule && normalCron(s.schedule.cron) === want).map((s) => s.id);
}

/** A cron line and where it is written (a scorecard's file, or the workflow's). */
export interface CronAt<W> {
  cron: string;
  where: W;
}

export type ScheduleProblem<W> =
  /** A scorecard's cron is not in the workflow: it would never be sent on its schedule. */
  | { kind: 'not-in-workflow'; scorecard: string; cron: string; where: W }
  /** Two scorecards share a cron line: one scheduled run sends one scorecard. */
  | { kind: 'shared'; scorecard: string; other: string; cron: string; where: W }
  /** A workflow cron line no scorecard has: its runs would send nothing. */
  | { kind: 'no-scorecard'; cron: string; where: W };

/** Where the scorecards' schedules and the workflow's cron lines disagree. */
export function scheduleProblems<W>(scorecards: ReadonlyArray<{ id: string } & CronAt<W>>, workflow: ReadonlyArray<CronAt<W>>): Array<ScheduleProblem<W>> {
  const listed = new Set(workflow.map((w) => normalCron(w.cron)));
  const first = new Map<string, string>();
  const problems: Array<ScheduleProblem<W>> = [];
  for (const s of scorecards) {
    const cron = normalCron(s.cron);
    if (!listed.has(cron)) problems.push({ kind: 'not-in-workflow', scorecard: s.id, cron, where: s.where });
    const other = first.get(cron);
    if (other !== undefined) problems.push({ kind: 'shared', scorecard: s.id, other, cron, where: s.where });
    else first.set(cron, s.id);
  }
  for (const w of workflow) {
    if (!first.has(normalCron(w.cron))) problems.push({ kind: 'no-scorecard', cron: normalCron(w.cron), where: w.where });
  }
  return problems;
}
