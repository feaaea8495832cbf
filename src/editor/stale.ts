import { START, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ProjectFiles } from '../validate/files.js';
import { storedSchemaHashes } from '../source/editor-schemas.js';
import { diagnostic } from '../diagnostics/create.js';
import { KINDS, type Kind } from '../spec/kinds.js';
import { EDITOR_KINDS, EDITOR_SCHEMA_DIR, INPUTS_KEY, inputsHash } from './project-schemas.js';
import { vocabularyOf } from './vocabulary.js';

/**
 * A warning when the project's editor schemas were generated from other ids than the
 * project now has (a channel added, a KPI renamed, a new kpiops): the editor would flag
 * the new ids as errors and not offer them. Nothing when the project has no such schemas.
 */
export function staleEditorSchemas(root: string, files: ProjectFiles, published: (kind: Kind) => Record<string, unknown>): Diagnostic[] {
  const names = EDITOR_KINDS.map((k) => KINDS[k].file);
  const stored = storedSchemaHashes(root, EDITOR_SCHEMA_DIR, names, INPUTS_KEY);
  // The vocabulary walks every KPI's columns: worked out only for a project that has the schemas.
  if (!stored) return [];
  const vocabulary = vocabularyOf(files);
  if (!vocabulary) return [];
  const expected = inputsHash(published, vocabulary);
  const stale = names.find((name) => stored.get(name) !== expected);
  return stale ? [diagnostic('editor/stale-schemas', { dir: EDITOR_SCHEMA_DIR }, { file: `${EDITOR_SCHEMA_DIR}/${stale}`, range: START })] : [];
}
