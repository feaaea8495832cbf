import { kindFacts } from '../../model/kinds.js';
import type { Rule } from '../rule.js';

const EXPECTED = { fraction: 'fractions', score: 'scores', count: 'counts' } as const;

/** A KPI's unit fits what its measure produces, so values are shown and judged on the right scale. */
export const unitKind: Rule = {
  name: 'unit-kind',
  check(ctx) {
    for (const { file, spec } of ctx.files.kpis) {
      const kind = spec.measure.kind;
      const facts = kindFacts(kind);
      if (facts.units.includes(spec.unit)) continue;
      if (facts.valueClass !== 'free') ctx.report('kpi/unit-kind', { unit: spec.unit, kind, expected: EXPECTED[facts.valueClass] }, { file, path: ['unit'] });
    }
  },
};
