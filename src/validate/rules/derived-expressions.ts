import { kpiRefs, parseExpression, zeroDivisors } from '../../model/expression.js';
import { rangeInScalar } from '../../source/locate.js';
import type { Rule } from '../rule.js';
import { unknownKpiParams } from '../unknown-kpi.js';

/** Derived formulas parse, name existing KPIs and never divide by a constant zero; a benchmark KPI names an existing KPI. */
export const derivedExpressions: Rule = {
  name: 'derived-expressions',
  withoutProject: true,
  check(ctx) {
    const ids = [...ctx.files.kpis.map((k) => k.spec.id), ...ctx.files.unchecked.kpi];
    for (const { file, spec } of ctx.files.kpis) {
      const m = spec.measure;
      if (m.kind === 'benchmark' && !ids.includes(m.kpi)) {
        ctx.report('kpi/unknown-kpi', unknownKpiParams(ctx.files, m.kpi, ids), { file, path: ['measure', 'kpi'] });
      }
      if (m.kind !== 'derived') continue;
      const path = ['measure', 'expression'];
      const parsed = parseExpression(m.expression);
      if ('error' in parsed) {
        ctx.report('kpi/expression-syntax', { detail: parsed.error.message }, { file, path, range: rangeInScalar(file, path, parsed.error.from, parsed.error.to) });
        continue;
      }
      for (const ref of kpiRefs(parsed.expr)) {
        if (!ids.includes(ref.id)) {
          ctx.report('kpi/unknown-kpi', unknownKpiParams(ctx.files, ref.id, ids), { file, path, range: rangeInScalar(file, path, ref.from, ref.to) });
        }
      }
      for (const divisor of zeroDivisors(parsed.expr)) {
        ctx.report('kpi/division-by-zero', { divisor: m.expression.slice(divisor.from, divisor.to) }, { file, path, range: rangeInScalar(file, path, divisor.from, divisor.to) });
      }
    }
  },
};
