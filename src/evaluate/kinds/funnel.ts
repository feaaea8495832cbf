import type { PlannedOf } from '../../compile/plan.js';
import { divide, type Value } from '../values.js';
import type { Components } from './reader.js';

/** Those who took the last step over those who took the first, with each step's count and drop-off. */
export function funnelValue(c: Components<PlannedOf<'funnel'>>): Value {
  const names = c.kpi.settings.steps;
  const counts = names.map((_n, i) => c.read(`step_${i}`));
  const steps = names.map((name, i) => ({
    name, count: counts[i]!, ...(i > 0 ? { drop_off: counts[i - 1] === 0 ? null : 1 - counts[i]! / counts[i - 1]! } : {}),
  }));
  return divide(counts.at(-1)!, counts[0]!, counts[0]!, { steps }, `no ${names[0]} in the period`);
}
