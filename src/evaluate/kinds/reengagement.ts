import type { PlannedOf } from '../../compile/plan.js';
import { divide, type Value } from '../values.js';
import type { Components } from './reader.js';

export function reengagementValue(c: Components<PlannedOf<'reengagement'>>): Value {
  const lapsed = c.read('lapsed');
  const reengaged = c.read('reengaged');
  return divide(reengaged, lapsed, lapsed, { lapsed, reengaged }, `no lapsed ${c.entity.many}`);
}
