import type { PlannedOf } from '../../compile/plan.js';
import { divide, type Value } from '../values.js';
import type { Components } from './reader.js';

/** The mean index over the population (an HCP without engagement scores 0), with the mean of each part. */
export function indexValue(c: Components<PlannedOf<'index'>>): Value {
  const population = c.read('population');
  const mean = (name: 'sum_breadth' | 'sum_depth' | 'sum_consistency') => (population === 0 ? null : c.read(name) / population);
  const components = { population, breadth: mean('sum_breadth'), depth: mean('sum_depth'), consistency: mean('sum_consistency') };
  return divide(c.read('sum_cei'), population, population, components, `no ${c.entity.many} in the population`);
}
