import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { annotationsOf, client, GitHubError, targetFromEnv } from '../github/publish.js';
import { publishReview, type ReviewBundle } from '../github/review-publish.js';
import { exitCodeFor, hasErrors } from '../diagnostics/diagnostic.js';
import { kpiDependencies, kpisBySource } from '../model/dependencies.js';
import { lastCoveredPeriod, notStarted, parsePeriod } from '../model/period.js';
import { hashes, semanticDiff } from '../review/diff.js';
import { impactOf } from '../review/impact.js';
import { addHeadErrors, verdictOf } from '../review/verdict.js';
import { reviewMarkdown, type Review } from '../review/report.js';
import { projectAtRevision } from '../source/git.js';
import { validateProject, type ValidatedProject } from '../validate/project.js';
import { evaluateResults, modelOf, report, snapshotOf } from './eval.js';
import { progress as makeProgress } from './progress.js';
import { checkSnapshot, snapshotDir } from './validate.js';
import { jsonText } from '../text/terminal.js';

export interface DiffOptions {
  project: string;
  base: string;
  head?: string;
  snapshot?: string;
  period?: string;
  format: 'md' | 'json';
  quiet?: boolean;
  /** Post the review to the pull request (comment, check run, job summary), from the Actions environment. */
  github?: boolean;
  /** Also write review.md and review.json here (the artifact a pull request's review job leaves for kpiops publish-review). */
  outDir?: string;
}

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

const commitOf = (dir: string, ref: string) => {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
};

/** Every KPI whose numbers or status may move: changed or added ones, ones whose definition hash moved (a channel edit), and what is derived from them. */
function affected(base: ValidatedProject, head: ValidatedProject, changed: readonly string[]): Set<string> {
  const before = hashes(base);
  const after = hashes(head);
  const out = new Set(changed);
  for (const [id, h] of after) if (before.get(id) !== h) out.add(id);
  const kpis = head.files.kpis.map((k) => k.spec);
  for (let grew = true; grew;) {
    grew = false;
    for (const k of kpis) if (!out.has(k.id) && kpiDependencies(k).some((d) => out.has(d))) { out.add(k.id); grew = true; }
  }
  return out;
}

/**
 * `kpiops diff`: what a change does, for a reviewer. Loads the project at `--base` (and at
 * `--head`, or the work tree) from git without touching the work tree, diffs KPIs,
 * scorecards and channels field by field, and with `--snapshot` evaluates both revisions on
 * the same data to show values before → after, status flips and the recipients affected.
 * Exit 0, 1 when the head has validation errors or removes a KPI a scorecard still uses, 2 on usage.
 */
export async function diffCommand(options: DiffOptions, s: Streams): Promise<number> {
  const baseCommit = commitOf(options.project, options.base);
  if (!baseCommit) {
    s.err.write(`kpiops: --base ${options.base} is not a commit in the git repository at ${options.project}\n`);
    return 2;
  }
  const headCommit = options.head ? commitOf(options.project, options.head) : undefined;
  if (options.head && !headCommit) {
    s.err.write(`kpiops: --head ${options.head} is not a commit in the git repository at ${options.project}\n`);
    return 2;
  }
  const base = projectAtRevision(options.project, baseCommit)!;
  const head = options.head ? projectAtRevision(options.project, headCommit!)! : await validateProject(options.project);
  if (!head.files.project) {
    report(head.diagnostics, head, s);
    return exitCodeFor(head.diagnostics);
  }
  const diff = semanticDiff(base, head);
  const invalid = hasErrors(head.diagnostics);
  if (invalid) {
    // The review still goes out, with the errors in it: that is what the reviewer must see.
    report(head.diagnostics, head, s);
    addHeadErrors(diff, head);
  }
  const review: Review = {
    version: 'review/v1', base: { ref: options.base, commit: baseCommit }, head: { ref: options.head ?? 'work tree', ...(headCommit ? { commit: headCommit } : {}) }, diff,
  };
  const changed = diff.kpis.filter((k) => k.change !== 'removed').map((k) => k.id);
  const ids = affected(base, head, changed);
  const before = hashes(base);
  const redefined = [...hashes(head)].filter(([id, h]) => before.has(id) && before.get(id) !== h).map(([id]) => id).sort();
  if (redefined.length > 0) review.redefined = redefined;
  if (invalid) review.impact_note = `${options.head ?? 'The work tree'} has validation errors, so its numbers cannot be computed; fix them first (kpiops validate).`;
  else if (!options.snapshot) review.impact_note = 'No snapshot given (--snapshot): values before and after are not shown.';
  else if (ids.size === 0 && diff.scorecards.length === 0) review.impact_note = 'No KPI computes anything different: no value moves.';
  else if (!base.files.project || hasErrors(base.diagnostics)) review.impact_note = `${options.base} has validation errors, so its numbers cannot be computed for comparison.`;
  else {
    const progress = makeProgress(s.err, Boolean(options.quiet));
    const checked = await checkSnapshot(head, snapshotDir(options.project, options.snapshot), progress);
    try {
      if (!checked.loaded || !checked.manifest) {
        progress.done();
        report(checked.diagnostics, head, s);
        return exitCodeFor(checked.diagnostics);
      }
      const calendar = modelOf(head).calendar;
      const asOf = new Date(checked.manifest.as_of);
      const period = options.period ? parsePeriod(options.period, calendar) : lastCoveredPeriod('month', asOf, undefined, calendar);
      if (!period) {
        progress.done();
        s.err.write(`kpiops: --period must be a month (2026-10), an ISO week (2026-W43) or a quarter (2026-Q3); got "${options.period}"\n`);
        return 2;
      }
      const unstarted = notStarted(period, asOf, calendar);
      if (unstarted) {
        progress.done();
        s.err.write(`kpiops: ${unstarted}\n`);
        return 1;
      }
      const failed = (p: ValidatedProject) => [...checked.loaded!.failed].flatMap((table) => (kpisBySource(p.files.kpis.map((k) => k.spec), p.files.project!.spec).get(table) ?? []).map((kpi) => ({ kpi, table })));
      // Scorecard changes alone (audience, selection) need the values of the KPIs they show.
      for (const d of diff.scorecards.filter((x) => x.change !== 'removed')) {
        const sc = head.files.scorecards.find((x) => x.spec.id === d.id)!.spec;
        for (const sel of sc.kpis) if (typeof sel === 'string') ids.add(sel);
      }
      const renamedFrom = new Map(diff.kpis.filter((k) => k.change === 'renamed').map((k) => [k.id, k.from!]));
      const baseIds = new Set([...ids].map((id) => renamedFrom.get(id) ?? id).filter((id) => base.files.kpis.some((k) => k.spec.id === id)));
      const run = (p: ValidatedProject, only: Set<string>) => evaluateResults({ validated: p, db: checked.loaded!.db, snapshot: snapshotOf(checked.manifest!, checked.manifestText ?? ''), period, blocked: failed(p), only, onQuery: (id) => progress.step(`Evaluating: ${id}`) });
      const baseResults = await run(base, baseIds);
      const headResults = await run(head, ids);
      progress.done();
      review.impact = impactOf(diff, { project: base, results: baseResults }, { project: head, results: headResults }, period);
    } finally {
      progress.done();
      checked.loaded?.db.close();
    }
  }
  const markdown = reviewMarkdown(review);
  s.out.write(options.format === 'json' ? `${jsonText(review)}\n` : markdown);
  const verdict = verdictOf(diff);
  const failed = verdict.conclusion === 'failure';
  const bundle: ReviewBundle = { markdown, annotations: annotationsOf(head.diagnostics), ...verdict };
  if (options.outDir) {
    // No conclusion is written: the job that posts a review from this folder decides it with its own code.
    mkdirSync(options.outDir, { recursive: true });
    writeFileSync(join(options.outDir, 'review.md'), markdown);
    writeFileSync(join(options.outDir, 'review.json'), `${JSON.stringify(review, null, 2)}\n`);
  }
  if (options.github) {
    const target = targetFromEnv(s.env);
    if ('problem' in target) {
      s.err.write(`kpiops: ${target.problem}\n`);
      return 2;
    }
    try {
      const done = await publishReview(client(target), target, bundle, s.env);
      s.err.write(`✔ ${done.join(', ')}\n`);
    } catch (error) {
      if (!(error instanceof GitHubError)) throw error;
      s.err.write(`✖ ${error.message}\n`);
      return 1;
    }
  }
  return failed ? 1 : 0;
}
