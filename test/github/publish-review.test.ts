import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bundleFromArtifact } from '../../src/github/review-publish.js';
import { MARKER } from '../../src/review/report.js';
import { REPO } from '../support/demo-project.js';
import { startGitHub } from '../support/github-api.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);
let api: Awaited<ReturnType<typeof startGitHub>> | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const HEAD = 'b'.repeat(40);
function publish(dir: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'dist/cli/main.js'), 'publish-review', '--dir', dir, '--pr', '12'], { env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
function artifact(bundle: unknown): string {
  const dir = tempDir('kpiops-artifact-');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bundle.json'), JSON.stringify(bundle));
  return dir;
}
const bundle = { markdown: `${MARKER}\n### kpiops review`, conclusion: 'failure', title: '1 problem to fix', annotations: [{ path: 'kpis/reach/reach.yaml', start_line: 3, end_line: 3, start_column: 1, end_column: 5, annotation_level: 'failure', message: 'Unknown key', title: 'schema/unknown-key' }] };
const env = (url: string) => ({ GITHUB_TOKEN: 'ghs_test', GITHUB_REPOSITORY: 'demo-pharma/kpis', GITHUB_API_URL: url, GITHUB_SHA: 'c'.repeat(40), KPIOPS_REVIEW_HEAD_SHA: HEAD, GITHUB_EVENT_PATH: '', GITHUB_STEP_SUMMARY: join(tempDir('kpiops-summary-'), 'summary.md') });

describe('posting a fork\'s review from the privileged workflow', () => {
  it('posts the comment and the check run when the pull request still has the reviewed commit', async () => {
    api = await startGitHub((r) => (r.method === 'GET' && r.template === '/repos/{owner}/{repo}/pulls/{pull_number}' ? { status: 200, body: { number: 12, head: { sha: HEAD } } } : undefined));
    const run = await publish(artifact(bundle), env(api.url));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/✔ review comment created on #12, check run \d+ with 1 annotation, job summary/);
    expect(api.comments).toHaveLength(1);
    expect(api.problems).toEqual([]);
  });

  it('posts nothing for an outdated review', async () => {
    api = await startGitHub((r) => (r.method === 'GET' && r.template === '/repos/{owner}/{repo}/pulls/{pull_number}' ? { status: 200, body: { number: 12, head: { sha: 'd'.repeat(40) } } } : undefined));
    const run = await publish(artifact(bundle), env(api.url));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('the review is outdated and is not posted');
    expect(api.comments).toHaveLength(0);
  });

  it('treats the artifact as data: a path outside the definitions or a wrong conclusion is refused', () => {
    expect(() => bundleFromArtifact({ ...bundle, annotations: [{ ...bundle.annotations[0], path: '../../.github/workflows/x.yml' }] })).toThrow(/outside the project's definitions/);
    expect(() => bundleFromArtifact({ ...bundle, conclusion: 'action_required' })).toThrow(/unknown conclusion/);
    expect(bundleFromArtifact({ ...bundle, annotations: [{ ...bundle.annotations[0], message: 'x'.repeat(5000) }] }).annotations[0]!.message).toHaveLength(2000);
  });
});
