import { join } from 'node:path';
import { compileTemplateSource, TemplateError, type CompiledTemplates, type TemplateSource } from '../render/render.js';
import { templateSource } from '../source/templates.js';
import type { ScorecardSpec } from '../spec/scorecard.js';

/** The template a scorecard is rendered with. */
export const templateName = (scorecard: ScorecardSpec) => scorecard.template ?? 'scorecard';

/** A project's template files: its own `templates/` first, then the ones kpiops ships. */
export const projectTemplates = (projectDir: string): TemplateSource => templateSource(join(projectDir, 'templates'));

/**
 * The compiled templates of these scorecards, by name: the project's `templates/` first,
 * then the built-in ones. A template problem is returned in words (file and line), not thrown.
 */
export async function loadTemplates(projectDir: string, scorecards: readonly ScorecardSpec[]): Promise<{ value: Map<string, CompiledTemplates> } | { problem: string }> {
  const value = new Map<string, CompiledTemplates>();
  const source = projectTemplates(projectDir);
  try {
    for (const name of new Set(scorecards.map(templateName))) value.set(name, await compileTemplateSource(name, source));
  } catch (e) {
    if (e instanceof TemplateError) return { problem: e.message };
    throw e;
  }
  return { value };
}
