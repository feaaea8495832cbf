import { filesAtRevision } from '../source/git.js';
import { validateSources, type ValidatedProject } from './project.js';

/**
 * The project as it is at a git revision, validated like one on disk. Undefined when the
 * revision does not exist. `dir` is the project directory (it may be below the repository's root).
 */
export function projectAtRevision(dir: string, revision: string): ValidatedProject | undefined {
  const files = filesAtRevision(dir, revision);
  return files && validateSources(files.inputs, files.templates, [], undefined, files.schemas);
}

