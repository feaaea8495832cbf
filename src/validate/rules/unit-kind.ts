import type { Rule } from '../rule.js';

/** Measure kinds whose value is a share of HCPs or touches (unit percent) or a score on a scale (unit score). */
const FRACTIONS = new Set(['reach', 'funnel', 'cap', 'attainment', 'reengagement', 'share', 'stage', 'growth']);
const SCORES = new Set(['score', 'index', 'benchmark']);

/** A KPI's unit fits what its measure produces, so values are shown and judged on the right scale. */
export const unitKind: Rule = {
  name: 'unit-kind',
  check(ctx) {
    for (const { file, spec } of ctx.files.kpis) {
      const kind = spec.measure.kind;
      if (FRACTIONS.has(kind) && spec.unit !== 'percent') ctx.report('kpi/unit-kind', { unit: spec.unit, kind, expected: 'fractions' }, { file, path: ['unit'] });
      if (SCORES.has(kind) && spec.unit !== 'score') ctx.report('kpi/unit-kind', { unit: spec.unit, kind, expected: 'scores' }, { file, path: ['unit'] });
    }
  },
};
