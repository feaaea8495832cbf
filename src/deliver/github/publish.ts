import { appendFileSync, readFileSync } from 'node:fs';
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Annotation } from '../../diagnostics/format/github-checks.js';
import { MARKER } from '../../review/report.js';

/** Where a review goes: the repository, the pull request and its head commit, from the standard Actions environment. */
export interface GitHubTarget {
  owner: string;
  repo: string;
  pr?: number;
  sha: string;
  token: string;
  apiUrl: string;
  /**
   * The login the token posts comments as (`github-actions[bot]` for the workflow's
   * GITHUB_TOKEN, `<app-slug>[bot]` for a GitHub App's token; KPIOPS_BOT_LOGIN): the sticky
   * comment is only ever one this login wrote.
   */
  commenter: string;
}

/** Who the workflow's own GITHUB_TOKEN posts as. A user cannot take this login: `[` and `]` are not allowed in user names. */
export const ACTIONS_BOT = 'github-actions[bot]';

/** A GitHub failure in words a workflow log reader can act on. */
export class GitHubError extends Error {}

/**
 * The target from GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL and the event payload
 * (GITHUB_EVENT_PATH: the pull request's number and head SHA), or GITHUB_SHA outside a
 * pull request. Says which variable is missing.
 */
export function targetFromEnv(env: NodeJS.ProcessEnv): GitHubTarget | { problem: string } {
  const token = env.GITHUB_TOKEN;
  if (!token) return { problem: 'GITHUB_TOKEN is not set: pass the workflow\'s token to the step (env: GITHUB_TOKEN: ${{ github.token }})' };
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) return { problem: 'GITHUB_REPOSITORY is not set (owner/repo): run this in GitHub Actions' };
  let pr: number | undefined;
  let sha = env.GITHUB_SHA;
  if (env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as { pull_request?: { number: number; head: { sha: string } } };
      if (event.pull_request) {
        pr = event.pull_request.number;
        sha = event.pull_request.head.sha;
      }
    } catch {
      return { problem: `GITHUB_EVENT_PATH (${env.GITHUB_EVENT_PATH}) is not a readable event payload` };
    }
  }
  if (!sha) return { problem: 'no commit to report on: GITHUB_SHA is not set and the event is not a pull request' };
  const commenter = env.KPIOPS_BOT_LOGIN?.trim() || ACTIONS_BOT;
  return { owner, repo, ...(pr !== undefined ? { pr } : {}), sha, token, apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com', commenter };
}

/** An Octokit that retries server errors and waits out rate limits (twice), then gives up with a clear error. */
export function client(target: Pick<GitHubTarget, 'token' | 'apiUrl'>, options: { retryAfterLimit?: number } = {}): Octokit {
  const Kit = Octokit.plugin(retry, throttling);
  const limit = options.retryAfterLimit ?? 60;
  return new Kit({
    auth: target.token,
    baseUrl: target.apiUrl,
    userAgent: 'kpiops',
    // kpiops reports failures itself, in words (explain); Octokit's own request log would repeat them.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    throttle: {
      onRateLimit: (after: number, _o: unknown, _k: unknown, count: number) => count < 2 && after <= limit,
      onSecondaryRateLimit: (after: number, _o: unknown, _k: unknown, count: number) => count < 2 && after <= limit,
    },
    retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451] },
  });
}

/** Turns an Octokit failure into what went wrong and what to do. */
export function explain(error: unknown, what: string): GitHubError {
  const e = error as { status?: number; message?: string; response?: { data?: { message?: string; errors?: unknown[] }; headers?: Record<string, string> } };
  const detail = e.response?.data?.message ?? e.message ?? String(error);
  if (e.status === 403 && (e.response?.headers?.['x-ratelimit-remaining'] === '0' || /rate limit/i.test(detail))) {
    return new GitHubError(`${what}: GitHub's rate limit is exhausted (${detail}); run again after ${e.response?.headers?.['x-ratelimit-reset'] ? new Date(Number(e.response.headers['x-ratelimit-reset']) * 1000).toISOString() : 'the reset'}`);
  }
  if (e.status === 403 || e.status === 401) return new GitHubError(`${what}: GitHub refused (${e.status}: ${detail}). The token needs pull-requests: write and checks: write; on a pull request from a fork it is read-only, so the comment is posted by the workflow_run job instead`);
  if (e.status === 422) return new GitHubError(`${what}: GitHub rejected the request (422: ${detail}${e.response?.data?.errors ? ` ${JSON.stringify(e.response.data.errors)}` : ''})`);
  if (e.status === 404) return new GitHubError(`${what}: not found (404: ${detail}); check GITHUB_REPOSITORY and the pull request number`);
  return new GitHubError(`${what}: ${e.status ? `${e.status}: ` : ''}${detail}`);
}

/**
 * Posts the review as the pull request's one kpiops comment, updated in place, created the
 * first time. The comment is found by its hidden marker *and* its author: anyone can write
 * the marker in a comment, and updating theirs would put the review where they can edit it
 * afterwards. The author is the configured login, not looked up: `GET /user` refuses the
 * workflow's token and a GitHub App's installation token alike.
 */
export async function stickyComment(octokit: Octokit, target: GitHubTarget, body: string): Promise<{ action: 'created' | 'updated'; id: number }> {
  if (target.pr === undefined) throw new GitHubError('posting the review comment: this is not a pull request');
  const text = body.includes(MARKER) ? body : `${MARKER}\n${body}`;
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner: target.owner, repo: target.repo, issue_number: target.pr, per_page: 100 });
    const mine = comments.find((c) => c.user?.login.toLowerCase() === target.commenter.toLowerCase() && c.body?.includes(MARKER));
    if (mine) {
      await octokit.rest.issues.updateComment({ owner: target.owner, repo: target.repo, comment_id: mine.id, body: text });
      return { action: 'updated', id: mine.id };
    }
    const created = await octokit.rest.issues.createComment({ owner: target.owner, repo: target.repo, issue_number: target.pr, body: text });
    return { action: 'created', id: created.data.id };
  } catch (error) {
    if (error instanceof GitHubError) throw error;
    throw explain(error, 'posting the review comment');
  }
}

export { checkAnnotations as annotationsOf, type Annotation } from '../../diagnostics/format/github-checks.js';

const BATCH = 50;

/**
 * A check run on the head commit with the review's summary and every annotation: GitHub
 * takes at most 50 annotations per request, so the run is created with the first 50 and
 * updated with the rest, 50 at a time.
 */
export async function checkRun(octokit: Octokit, target: GitHubTarget, run: { name: string; title: string; summary: string; conclusion: 'success' | 'failure' | 'neutral'; annotations: readonly Annotation[] }): Promise<{ id: number; requests: number }> {
  const batches: Annotation[][] = [];
  for (let i = 0; i < run.annotations.length; i += BATCH) batches.push(run.annotations.slice(i, i + BATCH));
  const output = (annotations: Annotation[]) => ({ title: run.title, summary: run.summary.slice(0, 65_000), ...(annotations.length > 0 ? { annotations } : {}) });
  try {
    const created = await octokit.rest.checks.create({
      owner: target.owner, repo: target.repo, name: run.name, head_sha: target.sha, status: 'completed', conclusion: run.conclusion, output: output(batches[0] ?? []),
    });
    for (const batch of batches.slice(1)) {
      await octokit.rest.checks.update({ owner: target.owner, repo: target.repo, check_run_id: created.data.id, output: output(batch) });
    }
    return { id: created.data.id, requests: Math.max(1, batches.length) };
  } catch (error) {
    throw explain(error, 'creating the check run');
  }
}

/** Appends Markdown to the job summary when running in Actions. */
export function jobSummary(env: NodeJS.ProcessEnv, markdown: string): boolean {
  if (!env.GITHUB_STEP_SUMMARY) return false;
  appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
  return true;
}
