import type { PlannedOf } from '../../compile/plan.js';
import { divide, type Value } from '../values.js';
import type { Components } from './reader.js';

/** The support is the denominator, or, for a sum, the HCPs (or rows) behind it. */
export function ratioValue(c: Components<PlannedOf<'ratio'>>): Value {
  const numerator = c.read('numerator');
  const denominator = c.read('denominator');
  const n = c.kpi.components.support ? c.read('support') : denominator;
  return divide(numerator, denominator, n, { numerator, denominator }, 'the denominator is 0');
}
