import type { PlannedOf } from '../../compile/plan.js';
import { divide, type Value } from '../values.js';
import type { Components } from './reader.js';

/** The total over the HCPs of the population; the support is those HCPs, with or without rows. */
export function averageValue(c: Components<PlannedOf<'average'>>): Value {
  const total = c.read('total');
  const population = c.read('population');
  return divide(total, population, population, { total, population }, `no ${c.entity.many} in the population`);
}
