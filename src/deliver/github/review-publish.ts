import type { Octokit } from '@octokit/rest';
import { checkRun, jobSummary, stickyComment, type Annotation, type GitHubTarget } from './publish.js';

export interface ReviewBundle {
  /** The review as Markdown (the comment). */
  markdown: string;
  /** Validation findings on the head, as check-run annotations. */
  annotations: Annotation[];
  /** Failure when the head has errors or removes a KPI in use. */
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
}

/**
 * Publishes a review to a pull request: the sticky comment, the check run with its
 * annotations, and the job summary. Returns what was done, in words.
 */
export async function publishReview(octokit: Octokit, target: GitHubTarget, bundle: ReviewBundle, env: NodeJS.ProcessEnv): Promise<string[]> {
  const done: string[] = [];
  if (target.pr !== undefined) {
    const c = await stickyComment(octokit, target, bundle.markdown);
    done.push(`review comment ${c.action} on #${target.pr}`);
  }
  const run = await checkRun(octokit, target, { name: 'kpiops review', title: bundle.title, summary: bundle.markdown, conclusion: bundle.conclusion, annotations: bundle.annotations });
  done.push(`check run ${run.id} with ${bundle.annotations.length} annotation${bundle.annotations.length === 1 ? '' : 's'}`);
  if (jobSummary(env, bundle.markdown)) done.push('job summary');
  return done;
}
