import { builtInTemplateNames } from '../../source/templates.js';
import type { Rule } from '../rule.js';
import { suggest } from '../../text/suggest.js';

export const DEFAULT_TEMPLATE = 'scorecard';

/** A scorecard's template is the project's (`templates/<name>.mjml`) or a built-in one (names only: a template is never read from an arbitrary path). */
export const scorecardTemplate: Rule = {
  name: 'scorecard-template',
  withoutProject: true,
  check(ctx) {
    for (const { file, spec } of ctx.files.scorecards) {
      const name = spec.template ?? DEFAULT_TEMPLATE;
      if (!ctx.files.templates.includes(name)) {
        const at = spec.template ? { file, path: ['template'] } : { file, path: ['id'] };
        ctx.report('scorecard/unknown-template', { name, suggestion: suggest(name, ctx.files.templates), builtIn: builtInTemplateNames() }, at);
      }
    }
  },
};
