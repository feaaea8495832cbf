import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { annotationsOf, client, GitHubError, targetFromEnv } from '../deliver/github/publish.js';
import { publishReview, type ReviewBundle } from '../deliver/github/review-publish.js';
import { exitCodeFor, hasErrors } from '../diagnostics/diagnostic.js';
import { modelOf } from '../pipeline/project.js';
import { addImpact, reviewChange } from '../pipeline/review.js';
import { cacheDir, openSnapshot, snapshotDir } from '../pipeline/snapshot.js';
import { verdictOf } from '../review/verdict.js';
import { reviewMarkdown, type Review } from '../review/report.js';
import { projectAtRevision } from '../validate/revision.js';
import { jsonText } from '../text/terminal.js';
import { validateProject, type ValidatedProject } from '../validate/project.js';
import type { CliIo } from './io.js';
import { askedPeriod, report } from './output.js';
import { progress as makeProgress } from './progress.js';

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
  /** Reuse rows of queries already run on the same data (`--no-cache`: false). */
  cache?: boolean;
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
export async function diffCommand(options: DiffOptions, s: CliIo): Promise<number> {
  const baseCommit = commitOf(options.project, options.base);
  if (!baseCommit) return s.err.write(`kpiops: --base ${options.base} is not a commit in the git repository at ${options.project}\n`), 2;
  const headCommit = options.head ? commitOf(options.project, options.head) : undefined;
  if (options.head && !headCommit) return s.err.write(`kpiops: --head ${options.head} is not a commit in the git repository at ${options.project}\n`), 2;
  const base = projectAtRevision(options.project, baseCommit)!;
  const head = options.head ? projectAtRevision(options.project, headCommit!)! : await validateProject(options.project);
  if (!head.files.project) return report(head.diagnostics, head.texts, s), exitCodeFor(head.diagnostics);
  // The review still goes out with the head's errors in it: that is what the reviewer must see.
  if (hasErrors(head.diagnostics)) report(head.diagnostics, head.texts, s);
  const refs = { base: { ref: options.base, commit: baseCommit }, head: { ref: options.head ?? 'work tree', ...(headCommit ? { commit: headCommit } : {}) } };
  const { review, needsSnapshot } = reviewChange(base, head, refs, Boolean(options.snapshot));
  if (needsSnapshot) {
    const code = await impact(review, base, head, options, s);
    if (code !== undefined) return code;
  }
  const markdown = reviewMarkdown(review);
  s.out.write(options.format === 'json' ? `${jsonText(review)}\n` : markdown);
  const verdict = verdictOf(review.diff);
  if (options.outDir) writeReview(options.outDir, markdown, review);
  if (options.github) {
    const code = await publish({ markdown, annotations: annotationsOf(head.diagnostics), ...verdict }, s);
    if (code !== 0) return code;
  }
  return verdict.conclusion === 'failure' ? 1 : 0;
}

/** Loads the snapshot and adds the values before → after to the review; an exit code when the data or the period stops it. */
async function impact(review: Review, base: ValidatedProject, head: ValidatedProject, options: DiffOptions, s: CliIo): Promise<number | undefined> {
  const progress = makeProgress(s.err, Boolean(options.quiet));
  const checked = await openSnapshot(head, snapshotDir(options.project, options.snapshot!), { ...(options.cache ? { cache: cacheDir(s.env) } : {}), onStep: (step) => progress.step(`Loading snapshot: ${step}`) });
  const { open } = checked;
  try {
    if (!open) return progress.done(), report(checked.diagnostics, new Map([...head.texts, ...checked.texts]), s), exitCodeFor(checked.diagnostics);
    const asked = askedPeriod(options.period, modelOf(head).calendar, new Date(open.manifest.as_of));
    if ('problem' in asked) return progress.done(), s.err.write(`kpiops: ${asked.problem}\n`), asked.code;
    await addImpact(review, base, head, open, { templates: join(options.project, 'templates'), ...(asked.period ? { requested: asked.period } : {}), onStep: (text) => progress.step(text) });
    return undefined;
  } finally {
    progress.done();
    open?.loaded.db.close();
  }
}

/** review.md and review.json, the artifact a pull request's review job leaves for kpiops publish-review. */
function writeReview(dir: string, markdown: string, review: Review) {
  // No conclusion is written: the job that posts a review from this folder decides it with its own code.
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'review.md'), markdown);
  writeFileSync(join(dir, 'review.json'), `${JSON.stringify(review, null, 2)}\n`);
}

async function publish(bundle: ReviewBundle, s: CliIo): Promise<number> {
  const target = targetFromEnv(s.env);
  if ('problem' in target) return s.err.write(`kpiops: ${target.problem}\n`), 2;
  try {
    const done = await publishReview(client(target), target, bundle, s.env);
    s.err.write(`✔ ${done.join(', ')}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    s.err.write(`✖ ${error.message}\n`);
    return 1;
  }
}
