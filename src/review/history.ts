import { projectDefinitionHashes } from '../model/normalize.js';
import type { DefinitionChange } from '../scorecard/context.js';
import { definitionCommits } from '../source/git.js';
import { projectAtRevision } from '../validate/revision.js';

/**
 * Where KPI definitions changed between two dates (a trend window), from git history: every
 * commit touching the project's definitions in the window, compared with the commit before it, by definition
 * hash (so a reworded description is not a change, a new filter or channel weight is).
 * Empty when the project is not in a git repository.
 */
export function definitionHistory(dir: string, since: Date, until: Date): Map<string, DefinitionChange[]> {
  const out = new Map<string, DefinitionChange[]>();
  for (const c of definitionCommits(dir, since, until)) {
    const after = projectAtRevision(dir, c.hash);
    const before = projectAtRevision(dir, `${c.hash}^`);
    if (!after) continue;
    const now = projectDefinitionHashes(after.files);
    const then = before ? projectDefinitionHashes(before.files) : new Map<string, string>();
    for (const [id, hash] of now) {
      if (then.has(id) && then.get(id) !== hash) {
        if (!out.has(id)) out.set(id, []);
        out.get(id)!.push({ at: new Date(c.at).toISOString(), commit: c.hash, subject: c.subject });
      }
    }
  }
  return out;
}
