import type { PlannedOf } from '../../compile/plan.js';
import type { Value } from '../values.js';
import type { Components } from './reader.js';

/** This period's count or sum over the comparison period's, minus 1. */
export function growthValue(c: Components<PlannedOf<'growth'>>): Value {
  const compared = c.kpi.settings.comparison[c.period.label]!;
  const current = Number(c.raw('value') ?? 0);
  const comparison = Number(c.raw('value', compared) ?? 0);
  const support = c.kpi.components.support ? Number(c.raw('support') ?? 0) : current;
  const components = { current, comparison, comparison_period: compared.label };
  return comparison === 0 ? { value: null, reason: `nothing to compare with: 0 in ${compared.label}`, n: support, components } : { value: current / comparison - 1, n: support, components };
}
