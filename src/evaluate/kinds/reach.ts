import type { PlannedOf } from '../../compile/plan.js';
import { divide, type Value } from '../values.js';
import type { Components } from './reader.js';

export function reachValue(c: Components<PlannedOf<'reach'>>): Value {
  const reached = c.read('reached');
  const population = c.read('population');
  return divide(reached, population, population, { reached, population }, `no ${c.entity.many} in the population`);
}
