import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { annotationsOf, client, GitHubError, targetFromEnv } from '../github/publish.js';
import { publishReview, type ReviewBundle } from '../github/review-publish.js';
import { exitCodeFor, hasErrors } from '../diagnostics/diagnostic.js';
import { notStarted, parsePeriod } from '../model/period.js';
import { hashes, semanticDiff } from '../review/diff.js';
import { addHeadErrors, verdictOf } from '../review/verdict.js';
import { reviewMarkdown, type Review } from '../review/report.js';
import { projectAtRevision } from '../source/git.js';
import { validateProject, type ValidatedProject } from '../validate/project.js';
import { compareScorecards } from './diff-impact.js';
import { modelOf, report, snapshotOf } from './eval.js';
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

/**
 * `kpiops diff`: what a change does, for a reviewer. Loads the project at `--base` (and at
 * `--head`, or the work tree) from git without touching the work tree, diffs KPIs,
 * scorecards and channels field by field, and with `--snapshot` renders every scorecard of
 * both revisions on the same data, each for the period `kpiops run` would send it for, to show
 * values before → after, status flips and the recipients whose scorecard reads differently.
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
  const before = hashes(base);
  const redefined = [...hashes(head)].filter(([id, h]) => before.has(id) && before.get(id) !== h).map(([id]) => id).sort();
  if (redefined.length > 0) review.redefined = redefined;
  if (invalid) review.impact_note = `${options.head ?? 'The work tree'} has validation errors, so its numbers cannot be computed; fix them first (kpiops validate).`;
  else if (!options.snapshot) review.impact_note = 'No snapshot given (--snapshot): values before and after are not shown.';
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
      const requested = options.period === undefined ? undefined : parsePeriod(options.period, calendar);
      if (options.period !== undefined && !requested) {
        progress.done();
        s.err.write(`kpiops: --period must be a month (2026-10), an ISO week (2026-W43) or a quarter (2026-Q3); got "${options.period}"\n`);
        return 2;
      }
      const unstarted = requested && notStarted(requested, new Date(checked.manifest.as_of), calendar);
      if (unstarted) {
        progress.done();
        s.err.write(`kpiops: ${unstarted}\n`);
        return 1;
      }
      // A table left out because the head reads nothing of it may still be read by the base: both sides treat it as failed.
      const compared = await compareScorecards({
        base, head, diff, db: checked.loaded.db, snapshot: snapshotOf(checked.manifest, checked.manifestText ?? ''),
        failed: new Set([...checked.loaded.failed, ...checked.loaded.absent]),
        templates: join(options.project, 'templates'), ...(requested ? { requested } : {}), onStep: (text) => progress.step(text),
      });
      progress.done();
      if ('problem' in compared) review.impact_note = compared.problem;
      else review.impact = compared.impact;
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
