import type { Octokit } from '@octokit/rest';
import { checkRun, GitHubError, jobSummary, stickyComment, type Annotation, type GitHubTarget } from './publish.js';

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

const SAFE_PATH = /^(kpis|channels|scorecards|templates)\/[A-Za-z0-9_./-]+\.(ya?ml|mjml|hbs)$|^kpiops\.yaml$/;

/**
 * A review bundle from an artifact uploaded by an untrusted (fork) pull request's job: it is
 * data, so every field is checked and bounded; anything unexpected is refused.
 */
export function bundleFromArtifact(raw: { markdown: unknown; annotations: unknown; conclusion: unknown; title: unknown }): ReviewBundle {
  if (typeof raw.markdown !== 'string' || raw.markdown.length > 65_000) throw new GitHubError('the review artifact has no Markdown, or too much');
  if (!['success', 'failure', 'neutral'].includes(raw.conclusion as string)) throw new GitHubError('the review artifact has an unknown conclusion');
  if (!Array.isArray(raw.annotations) || raw.annotations.length > 1000) throw new GitHubError('the review artifact\'s annotations are not a list of at most 1000');
  const annotations = raw.annotations.map((a: Record<string, unknown>): Annotation => {
    const int = (x: unknown) => (Number.isInteger(x) && (x as number) > 0 && (x as number) < 1e6 ? (x as number) : undefined);
    if (typeof a.path !== 'string' || !SAFE_PATH.test(a.path) || a.path.includes('..')) throw new GitHubError(`the review artifact names a file outside the project's definitions: ${String(a.path).slice(0, 80)}`);
    const start = int(a.start_line);
    const end = int(a.end_line);
    if (!start || !end) throw new GitHubError('the review artifact has an annotation without lines');
    const level = ['failure', 'warning', 'notice'].includes(a.annotation_level as string) ? (a.annotation_level as Annotation['annotation_level']) : 'notice';
    return {
      path: a.path, start_line: start, end_line: end,
      ...(int(a.start_column) && int(a.end_column) && start === end ? { start_column: int(a.start_column)!, end_column: int(a.end_column)! } : {}),
      annotation_level: level, message: String(a.message ?? '').slice(0, 2000), title: String(a.title ?? '').slice(0, 200),
    };
  });
  return { markdown: raw.markdown, annotations, conclusion: raw.conclusion as ReviewBundle['conclusion'], title: String(raw.title ?? 'kpiops review').slice(0, 200) };
}
