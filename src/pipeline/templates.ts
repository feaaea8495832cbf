import { join } from 'node:path';
import { compileTemplates, TemplateError, type CompiledTemplates } from '../render/render.js';
import type { ScorecardSpec } from '../spec/scorecard.js';

/** The template a scorecard is rendered with. */
export const templateName = (scorecard: ScorecardSpec) => scorecard.template ?? 'scorecard';

/**
 * The compiled templates of these scorecards, by name: the project's `templates/` first,
 * then the built-in ones. A template problem is returned in words (file and line), not thrown.
 */
export async function loadTemplates(projectDir: string, scorecards: readonly ScorecardSpec[]): Promise<{ value: Map<string, CompiledTemplates> } | { problem: string }> {
  const value = new Map<string, CompiledTemplates>();
  try {
    for (const name of new Set(scorecards.map(templateName))) value.set(name, await compileTemplates(name, join(projectDir, 'templates')));
  } catch (e) {
    if (e instanceof TemplateError) return { problem: e.message };
    throw e;
  }
  return { value };
}
