import type { Loaded } from '../files.js';
import type { Rule, RuleContext } from '../rule.js';

type Kind = 'kpi' | 'channel' | 'scorecard';

function checkUnique(ctx: RuleContext, kind: Kind, items: Array<Loaded<{ id: string }>>) {
  const first = new Map<string, string>();
  for (const { file, spec } of items) {
    const seen = first.get(spec.id);
    if (seen) ctx.report(`${kind}/duplicate-id`, { id: spec.id, first: seen }, { file, path: ['id'] });
    else first.set(spec.id, file.path);
  }
}

/** KPI, channel and scorecard ids are unique across files: results, reviews and emails key on them. */
export const uniqueIds: Rule = {
  name: 'unique-ids',
  withoutProject: true,
  check(ctx) {
    checkUnique(ctx, 'kpi', ctx.files.kpis);
    checkUnique(ctx, 'channel', ctx.files.channels);
    checkUnique(ctx, 'scorecard', ctx.files.scorecards);
  },
};
