import type { ValidatedProject } from '../validate/project.js';
import { hashes, semanticDiff, type SemanticDiff } from './diff.js';
import type { Review } from './report.js';

/** What the `kpiops review` check says: it fails when the head has errors (validation, or a removed KPI still in use). */
export interface Verdict {
  conclusion: 'success' | 'failure';
  title: string;
}

/** Lists the head's validation errors among the review's errors: the reviewer must see them, and they fail the check. */
export function addHeadErrors(diff: SemanticDiff, head: ValidatedProject): void {
  for (const d of head.diagnostics.filter((x) => x.severity === 'error')) {
    diff.errors.push({ code: d.code, message: `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`, file: d.file });
  }
}

export function verdictOf(diff: SemanticDiff): Verdict {
  const n = diff.errors.length;
  return n > 0 ? { conclusion: 'failure', title: `${n} problem${n === 1 ? '' : 's'} to fix` } : { conclusion: 'success', title: 'KPI changes reviewed' };
}

/**
 * The review of `head` against `base` without values (no snapshot is evaluated): what the
 * posting job of a pull request recomputes with its own code, so that neither the check's
 * conclusion nor the list of changes comes from the pull request's job.
 */
export function reviewOfProjects(base: ValidatedProject, head: ValidatedProject, refs: Pick<Review, 'base' | 'head'>): Review {
  const diff = semanticDiff(base, head);
  addHeadErrors(diff, head);
  const review: Review = { version: 'review/v1', ...refs, diff };
  const before = hashes(base);
  const redefined = [...hashes(head)].filter(([id, h]) => before.has(id) && before.get(id) !== h).map(([id]) => id).sort();
  if (redefined.length > 0) review.redefined = redefined;
  return review;
}
