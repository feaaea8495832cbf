import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { exitCodeFor, hasErrors } from '../diagnostics/diagnostic.js';
import { scheduleProblems, scorecardsOnCron, type CronAt, type ScheduleProblem } from '../scorecard/schedule.js';
import { rangeFor } from '../source/locate.js';
import { terminalText } from '../text/terminal.js';
import { validateProject } from '../validate/project.js';
import { report } from './output.js';

export interface ScheduleOptions {
  project: string;
  /** A cron line, as the workflow's `github.event.schedule` gives it. */
  cron?: string;
  /** The workflow whose `on.schedule` must list every scorecard's cron, relative to the project. */
  check?: string | true;
}

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export const SCORECARDS_WORKFLOW = '.github/workflows/scorecards.yml';

/** "file:line:col", 1-based as editors and terminals show it. */
type Where = string;

/** The workflow's `on.schedule` cron lines with where each is written; undefined when the file is not YAML of that shape. */
function workflowCrons(path: string, text: string): Array<CronAt<Where>> | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const on = doc.contents.get('on', true) as Node | undefined;
  if (on === undefined || isScalar(on) || isSeq(on)) return [];
  const schedule = isMap(on) ? (on.get('schedule', true) as Node | undefined) : undefined;
  if (schedule === undefined) return [];
  if (!isSeq(schedule)) return undefined;
  return schedule.items.flatMap((item) => {
    const cron = isMap(item) ? (item.get('cron', true) as Node | undefined) : undefined;
    if (!isScalar(cron) || typeof cron.value !== 'string' || !cron.range) return [];
    const at = lines.linePos(cron.range[0]);
    return [{ cron: cron.value, where: `${path}:${at.line}:${at.col}` }];
  });
}

const MESSAGES: { [K in ScheduleProblem<Where>['kind']]: (p: Extract<ScheduleProblem<Where>, { kind: K }>, workflow: string) => string } = {
  'not-in-workflow': (p, w) => `scorecard ${p.scorecard} is sent at "${p.cron}", but ${w} has no such cron line under on.schedule: add \`- cron: "${p.cron}"\` there, or it is never sent on its schedule`,
  shared: (p) => `scorecard ${p.scorecard} has the same cron "${p.cron}" as ${p.other}: one scheduled run sends one scorecard, so give each its own minute`,
  'no-scorecard': (p) => `the cron line "${p.cron}" is no scorecard's schedule.cron, so its runs would send nothing: remove it, or set it on the scorecard it is for`,
};

/**
 * `kpiops schedule --cron "<cron>"` prints the id of the scorecard a cron line sends (the
 * workflow asks this for a scheduled run); `kpiops schedule --check [workflow]` checks that
 * the workflow lists every scorecard's cron and no other. Exit 1 when a cron sends no
 * scorecard or the check finds a problem, 2 on usage.
 */
export async function scheduleCommand(options: ScheduleOptions, s: Streams): Promise<number> {
  if ((options.cron === undefined) === (options.check === undefined)) {
    s.err.write('kpiops schedule: give either --cron "<cron line>" or --check [workflow]\n');
    return 2;
  }
  const validated = await validateProject(options.project);
  if (hasErrors(validated.diagnostics)) {
    report(validated.diagnostics, validated.texts, s);
    return exitCodeFor(validated.diagnostics);
  }
  const scorecards = validated.files.scorecards;
  if (options.cron !== undefined) {
    const ids = scorecardsOnCron(options.cron, scorecards.map((c) => c.spec));
    if (ids.length !== 1) {
      const cron = terminalText(options.cron);
      s.err.write(ids.length === 0 ? `✖ no scorecard has schedule.cron "${cron}"\n` : `✖ scorecards ${ids.join(', ')} share schedule.cron "${cron}": one scheduled run sends one scorecard\n`);
      return 1;
    }
    s.out.write(`${ids[0]}\n`);
    return 0;
  }
  const workflow = options.check === true ? SCORECARDS_WORKFLOW : options.check!;
  const path = join(options.project, workflow);
  const crons = existsSync(path) ? workflowCrons(workflow, readFileSync(path, 'utf8')) : undefined;
  if (!crons) {
    s.err.write(`✖ ${terminalText(workflow)}: ${existsSync(path) ? 'not a workflow whose on.schedule is a list of cron lines' : 'no such file'}\n`);
    return 1;
  }
  const scheduled = scorecards.flatMap(({ file, spec }) => {
    if (!spec.schedule) return [];
    const at = rangeFor(file, ['schedule', 'cron']).start;
    return [{ id: spec.id, cron: spec.schedule.cron, where: `${file.path}:${at.line + 1}:${at.character + 1}` }];
  });
  const problems = scheduleProblems(scheduled, crons);
  for (const p of problems) s.err.write(`${terminalText(p.where)}  error  ${terminalText((MESSAGES[p.kind] as (x: typeof p, w: string) => string)(p, workflow))}\n`);
  if (problems.length > 0) return 1;
  s.err.write(`✔ ${terminalText(workflow)} lists the schedule of every scorecard (${scheduled.length} scheduled)\n`);
  return 0;
}
