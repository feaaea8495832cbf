import type { Rule } from '../rule.js';

/** Every KPI has an owner (an error) and every channel should (a warning): CODEOWNERS is built from them. */
export const ownerPresent: Rule = {
  name: 'owner-present',
  withoutProject: true,
  check(ctx) {
    for (const { file, spec } of ctx.files.kpis) if (!spec.owner) ctx.report('kpi/missing-owner', { id: spec.id }, { file, path: ['id'] });
    for (const { file, spec } of ctx.files.channels) if (!spec.owner) ctx.report('channel/missing-owner', { id: spec.id }, { file, path: ['id'] });
  },
};
