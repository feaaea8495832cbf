import type { PlannedOf } from '../../compile/plan.js';
import { divide, type Value } from '../values.js';
import type { Components } from './reader.js';

export function attainmentValue(c: Components<PlannedOf<'attainment'>>): Value {
  const goals = c.read('goals');
  const onPace = c.read('on_pace');
  const components = { goals, on_pace: onPace, on_pace_share: goals === 0 ? null : onPace / goals, elapsed: goals === 0 ? null : c.read('sum_elapsed') / goals, new_goals: c.read('new_goals') };
  return divide(c.read('sum_attainment'), goals, goals, components, 'no goals active in the period');
}
