import type { PlannedOf } from '../../compile/plan.js';
import { divide, type Value } from '../values.js';
import type { Components } from './reader.js';

export function capValue(c: Components<PlannedOf<'cap'>>): Value {
  const reached = c.read('reached');
  const over = c.read('over_contacted');
  return divide(over, reached, reached, { reached, over_contacted: over }, `no reached ${c.entity.many}`);
}
