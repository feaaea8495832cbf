import { execFileSync } from 'node:child_process';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { annotationsOf, client, explain, GitHubError, targetFromEnv, type GitHubTarget } from '../deliver/github/publish.js';
import { readReviewArtifact, type ReviewArtifact } from '../deliver/github/review-artifact.js';
import { publishReview, type ReviewBundle } from '../deliver/github/review-publish.js';
import { MARKER, reviewMarkdown } from '../review/report.js';
import { reviewOfProjects, verdictOf } from '../review/verdict.js';
import { projectAtRevision } from '../validate/revision.js';

export interface PublishOptions {
  dir: string;
  /** The pull request, when the workflow knows it from its own event; otherwise the artifact's, checked against GitHub. */
  pr?: string;
  /** The git repository (the base branch's checkout) that holds the pull request's head commit. */
  project: string;
}

interface Streams {
  err: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

const SHA = /^[0-9a-f]{40}$/;

/** Said above the values in the comment: they come from the pull request's code, which the check does not trust. */
export const VALUES_NOTE = '> ℹ️ The values before → after were computed by the pull request\'s own workflow job on the sample snapshot. The list of changes, the errors and the check\'s result were computed again by the base branch\'s code and do not depend on them.';

const mergeBase = (dir: string, a: string, b: string) => {
  try {
    return execFileSync('git', ['merge-base', a, b], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
};

/**
 * `kpiops publish-review --dir DIR [--pr N] [--project DIR]`: posts the review of a pull
 * request from a privileged job that runs none of its code. The artifact its review job left
 * is data: regular files only, bounded, JSON, checked against a schema. The review's changes,
 * errors, annotations and the check's conclusion are computed here, by this code, from the
 * pull request's head commit read from git as data; only the values before → after are taken
 * from the artifact, labelled as such. Nothing is posted unless the pull request still has
 * the commit the workflow ran for (KPIOPS_REVIEW_HEAD_SHA).
 */
export async function publishCommand(options: PublishOptions, s: Streams): Promise<number> {
  const target = targetFromEnv(s.env);
  if ('problem' in target) {
    s.err.write(`kpiops: ${target.problem}\n`);
    return 2;
  }
  const sha = s.env.KPIOPS_REVIEW_HEAD_SHA ?? '';
  const given = options.pr === undefined ? undefined : Number(options.pr);
  if ((given !== undefined && (!Number.isInteger(given) || given <= 0)) || !SHA.test(sha)) {
    s.err.write('kpiops: --pr must be a pull request number and KPIOPS_REVIEW_HEAD_SHA the commit the workflow ran for (40 hex digits)\n');
    return 2;
  }
  const artifact = readReviewArtifact(options.dir);
  if ('problem' in artifact) {
    s.err.write(`kpiops: ${artifact.problem}; nothing is posted\n`);
    return 1;
  }
  const { headSha, pr: claimed } = artifact.value;
  if (headSha !== sha || (given !== undefined && given !== claimed)) {
    s.err.write(`kpiops: the review artifact is for pull request #${claimed} at ${headSha.slice(0, 7)}, not ${given !== undefined ? `#${given} ` : ''}at ${sha.slice(0, 7)}; nothing is posted\n`);
    return 1;
  }
  try {
    return await publishFor({ ...target, pr: claimed, sha }, options.project, artifact.value, s);
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    s.err.write(`✖ ${error.message}\n`);
    return 1;
  }
}

async function publishFor(target: GitHubTarget & { pr: number }, project: string, artifact: ReviewArtifact, s: Streams): Promise<number> {
  const octokit = client(target);
  const { data } = await octokit.rest.pulls.get({ owner: target.owner, repo: target.repo, pull_number: target.pr }).catch((error: unknown) => {
    throw explain(error, `reading pull request #${target.pr}`);
  });
  if (data.head.sha !== target.sha) {
    s.err.write(`kpiops: pull request #${target.pr} is now at ${data.head.sha.slice(0, 7)}, not ${target.sha.slice(0, 7)}: the review is outdated and is not posted\n`);
    return 0;
  }
  // The pull request's own changes, as GitHub lists them: from where its branch left the base.
  const since = mergeBase(project, data.base.sha, target.sha);
  const base = since ? projectAtRevision(project, since) : undefined;
  const head = projectAtRevision(project, target.sha);
  if (!since || !base || !head) {
    s.err.write(`kpiops: the git repository at ${project} does not have both ${data.base.sha.slice(0, 7)} (the base) and ${target.sha.slice(0, 7)} (the head): check it out with fetch-depth: 0 and run git fetch origin ${target.sha} first\n`);
    return 1;
  }
  const review = reviewOfProjects(base, head, { base: { ref: data.base.ref, commit: since }, head: { ref: target.sha.slice(0, 7), commit: target.sha } });
  const verdict = verdictOf(review.diff);
  if (hasErrors(head.diagnostics)) review.impact_note = `${target.sha.slice(0, 7)} has validation errors, so its numbers cannot be computed; fix them first (kpiops validate).`;
  else if (artifact.impact) review.impact = artifact.impact;
  else review.impact_note = 'The pull request\'s review job left no values before → after.';
  const rendered = reviewMarkdown(review);
  // Right under the heading: the reader learns where the numbers come from before reading them.
  const markdown = review.impact && rendered.includes('\n\n') ? rendered.replace('\n\n', `\n\n${VALUES_NOTE}\n\n`) : rendered;
  const bundle: ReviewBundle = { markdown: markdown.startsWith(MARKER) ? markdown : `${MARKER}\n${markdown}`, annotations: annotationsOf(head.diagnostics), ...verdict };
  const done = await publishReview(octokit, target, bundle, s.env);
  s.err.write(`✔ ${done.join(', ')}; conclusion ${verdict.conclusion}, decided from ${target.sha.slice(0, 7)} by this job\n`);
  return 0;
}
