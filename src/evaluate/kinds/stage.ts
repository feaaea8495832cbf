import type { PlannedOf } from '../../compile/plan.js';
import type { Value } from '../values.js';
import type { Components } from './reader.js';

/** The share of the population at each stage (`none`: no stage in the window), and the share that moved up. */
export function stageValue(c: Components<PlannedOf<'stage'>>): Value {
  const { stages } = c.kpi.settings;
  const population = c.read('population');
  const counts = Object.fromEntries(stages.map((s) => [s, c.read(`at_${s}`)]));
  const none = population - Object.values(counts).reduce((a, b) => a + b, 0);
  const movedUp = c.read('moved_up');
  const components = { population, counts: { none, ...counts }, moved_up: movedUp, moved_up_share: population === 0 ? null : movedUp / population };
  if (population === 0) return { value: null, reason: `no ${c.entity.many} in the population`, n: 0, components };
  const shares: Record<string, number> = { none: none / population };
  for (const [s, n] of Object.entries(counts)) shares[s] = n / population;
  return { value: shares, n: population, components };
}
