import type { PlannedOf } from '../../compile/plan.js';
import type { Value } from '../values.js';
import type { Components } from './reader.js';

export function shareValue(c: Components<PlannedOf<'share'>>): Value {
  const { categories } = c.kpi.settings;
  const counts = Object.fromEntries(categories.map((k) => [k, c.read(`touches_${k}`)]));
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total === 0) return { value: null, reason: 'no engaged touches', n: 0, components: { touches: counts } };
  return { value: Object.fromEntries(categories.map((k) => [k, counts[k]! / total])), n: total, components: { touches: counts } };
}
