import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { client, GitHubError, targetFromEnv } from '../github/publish.js';
import { bundleFromArtifact, publishReview } from '../github/review-publish.js';

export interface PublishOptions {
  dir: string;
  pr: string;
}

interface Streams {
  err: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/**
 * `kpiops publish-review --dir DIR --pr N`: posts a review that an untrusted job computed
 * (a pull request from a fork, which gets no write token), from a privileged job that runs
 * none of the pull request's code. The bundle is data: checked field by field; the pull
 * request must still have the head commit the review was computed for.
 */
export async function publishCommand(options: PublishOptions, s: Streams): Promise<number> {
  const target = targetFromEnv(s.env);
  if ('problem' in target) {
    s.err.write(`kpiops: ${target.problem}\n`);
    return 2;
  }
  const pr = Number(options.pr);
  const sha = s.env.KPIOPS_REVIEW_HEAD_SHA;
  if (!Number.isInteger(pr) || pr <= 0 || !sha || !/^[0-9a-f]{40}$/.test(sha)) {
    s.err.write('kpiops: --pr must be the pull request number and KPIOPS_REVIEW_HEAD_SHA the commit the review was computed for\n');
    return 2;
  }
  try {
    const bundle = bundleFromArtifact(JSON.parse(readFileSync(join(options.dir, 'bundle.json'), 'utf8')) as never);
    const octokit = client(target);
    const { data } = await octokit.rest.pulls.get({ owner: target.owner, repo: target.repo, pull_number: pr });
    if (data.head.sha !== sha) {
      s.err.write(`kpiops: pull request #${pr} is now at ${data.head.sha.slice(0, 7)}, not ${sha.slice(0, 7)}: the review is outdated and is not posted\n`);
      return 0;
    }
    const done = await publishReview(octokit, { ...target, pr, sha }, bundle, s.env);
    s.err.write(`✔ ${done.join(', ')}\n`);
    return 0;
  } catch (error) {
    if (error instanceof GitHubError) {
      s.err.write(`✖ ${error.message}\n`);
      return 1;
    }
    if (error instanceof SyntaxError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      s.err.write(`kpiops: ${join(options.dir, 'bundle.json')} is missing or not JSON\n`);
      return 1;
    }
    throw error;
  }
}
