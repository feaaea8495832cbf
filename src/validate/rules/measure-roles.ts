import { kindFacts } from '../../model/kinds.js';
import type { Rule } from '../rule.js';

/** A measure's source declares the columns its kind needs to place rows in periods and channels (the roles in `model/kinds.ts`). */
export const measureRoles: Rule = {
  name: 'measure-roles',
  check(ctx) {
    for (const { file, spec } of ctx.files.kpis) {
      const m = spec.measure as { kind: typeof spec.measure.kind; source?: string };
      const roles = kindFacts(m.kind).roles;
      if (!m.source || roles.length === 0) continue;
      const source = ctx.project.sources[m.source];
      if (!source) continue;
      const missing = roles.filter((role) => !source[role]);
      if (missing.length > 0) ctx.report('kpi/missing-role', { source: m.source, role: missing.join('`, `'), why: `a ${m.kind} KPI` }, { file, path: ['measure', 'source'] });
    }
  },
};
