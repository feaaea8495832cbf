import { kpiDependencies } from '../../model/dependencies.js';
import type { Rule } from '../rule.js';

/** KPIs computed from other KPIs must not depend on themselves, directly or through others. */
export const derivedCycles: Rule = {
  name: 'derived-cycles',
  withoutProject: true,
  check(ctx) {
    const byId = new Map(ctx.files.kpis.map((k) => [k.spec.id, k]));
    const deps = new Map(ctx.files.kpis.map((k) => [k.spec.id, kpiDependencies(k.spec)]));
    const state = new Map<string, 'open' | 'done'>();
    const reported = new Set<string>();
    const visit = (id: string, trail: string[]) => {
      if (state.get(id) === 'done') return;
      if (state.get(id) === 'open') {
        const cycle = [...trail.slice(trail.indexOf(id)), id];
        const key = [...new Set(cycle)].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const kpi = byId.get(id)!;
          ctx.report('kpi/derived-cycle', { cycle }, { file: kpi.file, path: ['measure', kpi.spec.measure.kind === 'derived' ? 'expression' : 'kpi'] });
        }
        return;
      }
      state.set(id, 'open');
      for (const dep of deps.get(id) ?? []) if (byId.has(dep)) visit(dep, [...trail, id]);
      state.set(id, 'done');
    };
    for (const id of byId.keys()) visit(id, []);
  },
};
