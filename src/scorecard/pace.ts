import type { EntityWords } from '../model/entity-words.js';
import type { KpiModel } from '../model/kpi.js';
import type { KpiResultSpec } from '../spec/results.js';
import type { TargetValue } from '../spec/target.js';
import { formatValue } from './format.js';
import type { KpiRow } from './view.js';

type Slice = KpiResultSpec['slices'][number];

/**
 * Goal attainment counts points to date, so before the goals' planning periods end it is
 * read against the pace: the target times the share of the period gone by (the mean over
 * the goals), next to the share of HCPs on pace. At the end of the period it is the target.
 */
export function paceOf(spec: Pick<KpiModel, 'measure'>, slice: Slice | undefined, target: TargetValue | undefined, previous: string | undefined, entity: EntityWords): KpiRow['pace'] {
  const { elapsed, on_pace_share: onPace, new_goals: newGoals } = (slice?.components ?? {}) as { elapsed?: unknown; on_pace_share?: unknown; new_goals?: unknown };
  if (spec.measure.kind !== 'attainment' || typeof target !== 'number' || typeof elapsed !== 'number' || !(elapsed > 0 && elapsed < 1)) return undefined;
  const share = typeof onPace === 'number' ? onPace : null;
  const fresh = typeof newGoals === 'number' && newGoals > 0;
  return {
    elapsed, expected: target * elapsed, full: target, on_pace_share: share, new_goals: fresh,
    display: `${formatValue(elapsed, 'percent')} of the period gone${share !== null ? ` · ${formatValue(share, 'percent')} of ${entity.many} on pace for their whole goal` : ''}${fresh && previous ? ` · goals began this period, so not compared with ${previous}` : ''}`,
  };
}
