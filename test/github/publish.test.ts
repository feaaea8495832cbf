import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { annotationsOf, checkRun, client, GitHubError, stickyComment, targetFromEnv, type GitHubTarget } from '../../src/deliver/github/publish.js';
import { MARKER } from '../../src/review/report.js';
import { startGitHub } from '../support/github-api.js';

let api: Awaited<ReturnType<typeof startGitHub>> | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const target = (url: string): GitHubTarget => ({ owner: 'demo-pharma', repo: 'kpis', pr: 7, sha: 'a'.repeat(40), token: 'ghs_test', apiUrl: url, commenter: 'github-actions[bot]' });
const diagnostic = (i: number): Diagnostic => ({
  code: 'kpi/unknown-column', severity: 'error', message: `Unknown column number ${i}`, file: 'kpis/reach/reach.yaml', data: { name: `c${i}`, source: 'interactions' },
  range: { start: { line: i, character: 4 }, end: { line: i, character: 10 } },
});

describe('GitHub delivery, against a stand-in checked by GitHub\'s OpenAPI description', () => {
  it('one sticky comment: created on the first run, updated in place on the second', async () => {
    api = await startGitHub();
    const kit = client(target(api.url));
    expect(await stickyComment(kit, target(api.url), `${MARKER}\n### first`)).toMatchObject({ action: 'created' });
    expect(await stickyComment(kit, target(api.url), `${MARKER}\n### second`)).toMatchObject({ action: 'updated' });
    expect(api.comments.map((c) => c.body)).toEqual([`${MARKER}\n### second`]);
    expect(api.requests.map((r) => `${r.method} ${r.template}`)).toEqual([
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
    ]);
    expect(api.problems).toEqual([]);
  });

  it('a comment that carries the marker but was written by someone else is left alone: the review gets its own comment', async () => {
    api = await startGitHub();
    const mallory = { login: 'mallory', id: 666, type: 'User' as const };
    api.comments.push({ id: 1, body: `${MARKER}\n### kpiops review: all green, merge away`, user: mallory });
    const kit = client(target(api.url));
    expect(await stickyComment(kit, target(api.url), `${MARKER}\n### first`)).toMatchObject({ action: 'created' });
    expect(await stickyComment(kit, target(api.url), `${MARKER}\n### second`)).toMatchObject({ action: 'updated' });
    expect(api.comments.map((c) => `${c.user.login}: ${c.body.split('\n')[1]}`)).toEqual([
      'mallory: ### kpiops review: all green, merge away',
      'github-actions[bot]: ### second',
    ]);
    expect(api.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([`/repos/demo-pharma/kpis/issues/comments/${api.comments[1]!.id}`]);
    expect(api.problems).toEqual([]);
  });

  it('a GitHub App token finds its own comment by the login set in KPIOPS_BOT_LOGIN, not the Actions bot\'s', async () => {
    const app = { login: 'kpiops-reviewer[bot]', id: 9001, type: 'Bot' as const };
    api = await startGitHub(undefined, { as: app });
    api.comments.push({ id: 1, body: `${MARKER}\n### old review by the Actions bot`, user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' } });
    const fromEnv = targetFromEnv({ GITHUB_TOKEN: 'ghs_app', GITHUB_REPOSITORY: 'demo-pharma/kpis', GITHUB_SHA: 'a'.repeat(40), GITHUB_API_URL: api.url, KPIOPS_BOT_LOGIN: 'kpiops-reviewer[bot]' });
    if ('problem' in fromEnv) throw new Error(fromEnv.problem);
    expect(fromEnv.commenter).toBe('kpiops-reviewer[bot]');
    const t = { ...fromEnv, pr: 7 };
    expect(await stickyComment(client(t), t, `${MARKER}\n### first`)).toMatchObject({ action: 'created' });
    expect(await stickyComment(client(t), t, `${MARKER}\n### second`)).toMatchObject({ action: 'updated' });
    expect(api.comments.map((c) => c.user.login)).toEqual(['github-actions[bot]', 'kpiops-reviewer[bot]']);
    expect(targetFromEnv({ GITHUB_TOKEN: 'x', GITHUB_REPOSITORY: 'a/b', GITHUB_SHA: 'a'.repeat(40) })).toMatchObject({ commenter: 'github-actions[bot]' });
  });

  it('annotations go in batches of 50: 120 findings are one create and two updates (50, 50, 20)', async () => {
    api = await startGitHub();
    const annotations = annotationsOf(Array.from({ length: 120 }, (_, i) => diagnostic(i)));
    expect(annotations[0]).toEqual({ path: 'kpis/reach/reach.yaml', start_line: 1, end_line: 1, start_column: 5, end_column: 10, annotation_level: 'failure', message: 'Unknown column number 0', title: 'kpi/unknown-column' });
    const result = await checkRun(client(target(api.url)), target(api.url), { name: 'kpiops review', title: '120 errors', summary: 'x', conclusion: 'failure', annotations });
    expect(result.requests).toBe(3);
    const run = api.checkRuns.get(result.id)!;
    const counts = [run.body, ...run.updates].map((b) => (b as { output: { annotations?: unknown[] } }).output.annotations?.length);
    expect(counts).toEqual([50, 50, 20]);
    expect(api.problems).toEqual([]);
  });

  it('403, 422 and an exhausted rate limit end with a message that says what to do', async () => {
    api = await startGitHub((r) => (r.method === 'POST' ? { status: 403, body: { message: 'Resource not accessible by integration' } } : undefined));
    await expect(stickyComment(client(target(api.url)), target(api.url), 'x')).rejects.toThrow(new GitHubError('posting the review comment: GitHub refused (403: Resource not accessible by integration). The token needs pull-requests: write and checks: write; on a pull request from a fork it is read-only, so the comment is posted by the workflow_run job instead'));
    await api.close();

    api = await startGitHub(() => ({ status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'CheckRun', code: 'invalid', field: 'head_sha' }] } }));
    await expect(checkRun(client(target(api.url)), target(api.url), { name: 'n', title: 't', summary: 's', conclusion: 'success', annotations: [] }))
      .rejects.toThrow('creating the check run: GitHub rejected the request (422: Validation Failed [{"resource":"CheckRun","code":"invalid","field":"head_sha"}])');
    await api.close();

    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    api = await startGitHub(() => ({ status: 403, body: { message: 'API rate limit exceeded' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } }));
    await expect(stickyComment(client(target(api.url)), target(api.url), 'x')).rejects.toThrow(/rate limit is exhausted/);
    expect(api.requests).toHaveLength(1); // an hour's wait is not waited out
  });

  it('a secondary rate limit with a short Retry-After is waited out and the request goes through', async () => {
    api = await startGitHub((r, n) => (r.method === 'POST' && n === 1 ? { status: 403, body: { message: 'You have exceeded a secondary rate limit' }, headers: { 'retry-after': '1' } } : undefined));
    expect(await stickyComment(client(target(api.url)), target(api.url), 'x')).toMatchObject({ action: 'created' });
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(api.problems).toEqual([]);
  }, 15_000);
});

describe('the stand-in itself', () => {
  it('catches what GitHub would not accept: an unknown path, a body missing a required field', async () => {
    api = await startGitHub();
    await fetch(`${api.url}/repos/demo-pharma/kpis/check-runs`, { method: 'POST', body: JSON.stringify({ name: 'x' }) });
    await fetch(`${api.url}/repos/demo-pharma/kpis/no-such-thing`, { method: 'POST', body: '{}' });
    expect(api.problems).toEqual([
      "POST /repos/{owner}/{repo}/check-runs: body does not match the schema: data must have required property 'head_sha'",
      "POST /repos/demo-pharma/kpis/no-such-thing: no such operation in GitHub's API",
    ]);
  });
});
