import type { EntityWords } from '../model/entity-words.js';
import type { KpiModel } from '../model/kpi.js';
import { parsePeriod, type Calendar } from '../model/period.js';
import { MIN_INTERVAL_PERIODS, pastPeriods, projectEnd, ruleFor } from '../projection/project.js';
import { spanOf } from '../projection/span.js';
import type { KpiResultSpec } from '../spec/results.js';
import type { TargetValue } from '../spec/target.js';
import { formatValue } from './format.js';
import type { KpiRow, TrendView } from './view.js';

type Slice = KpiResultSpec['slices'][number];
type Pace = NonNullable<KpiRow['pace']>;

/**
 * Where attainment lands at the end of the goals' planning period, from the slice's own trend:
 * the past periods at the same place (see projection/). Only a monthly trend is read: the
 * planning period is found among the calendar's quarters, halves and years by month.
 */
function projectionOf(trend: readonly TrendView[], elapsed: number, target: number, calendar: Calendar): Pick<Pace, 'projected' | 'projection_note'> {
  const points = trend.map((t) => ({ period: parsePeriod(t.period, calendar), value: t.value }));
  const today = points.at(-1);
  if (!today?.period || today.period.grain !== 'month' || today.value === null) return {};
  const span = spanOf(today.period.start, elapsed, calendar.fiscalYearStart);
  // Goals on their own cycles never get a projection: saying so every month would be noise.
  // A missing history is said (it goes away as periods complete).
  if (!span) return {};
  const months = points.flatMap((p) => (p.period?.grain === 'month' ? [{ start: p.period.start, value: p.value }] : []));
  const projection = projectEnd(today.value, pastPeriods(months, span, calendar.fiscalYearStart), { rule: ruleFor(span), cap: 1 });
  if (!projection) return { projection_note: `no complete past ${span.name} in the trend to project from` };
  const pct = (x: number) => formatValue(x, 'percent');
  const many = `${projection.periods} past ${span.name}${projection.periods === 1 ? '' : 's'}`;
  const range = projection.low !== undefined && projection.high !== undefined
    ? ` (${Math.round(100 * projection.coverage!)}% likely between ${pct(projection.low)} and ${pct(projection.high)}, from ${many})`
    : ` (from ${many}: too few for a range, which needs ${MIN_INTERVAL_PERIODS})`;
  const curve = projection.share !== undefined ? target * projection.share : undefined;
  return {
    projected: {
      value: projection.value, ...(projection.low !== undefined ? { low: projection.low, high: projection.high!, coverage: projection.coverage! } : {}), periods: projection.periods, span: span.name,
      ...(curve !== undefined ? { expected_curve: curve } : {}),
      display: `heading for ${pct(projection.value)} by ${span.name} end${range}${curve !== undefined ? ` · ${pct(curve)} due by now on past ${span.name}s' curve (${pct(target * elapsed)} on a straight line)` : ''}`,
    },
  };
}

/**
 * Goal attainment counts points to date, so before the goals' planning periods end it is
 * read against the pace: the target times the share of the period gone by (the mean over
 * the goals), next to the share of HCPs on pace and where the value is heading by the end of
 * the period. At the end of the period it is the target.
 */
export function paceOf(spec: Pick<KpiModel, 'measure'>, slice: Slice | undefined, target: TargetValue | undefined, previous: string | undefined, entity: EntityWords, trend: readonly TrendView[] = [], calendar: Calendar = { fiscalYearStart: 1 }): KpiRow['pace'] {
  const { elapsed, on_pace_share: onPace, new_goals: newGoals } = (slice?.components ?? {}) as { elapsed?: unknown; on_pace_share?: unknown; new_goals?: unknown };
  if (spec.measure.kind !== 'attainment' || typeof target !== 'number' || typeof elapsed !== 'number' || !(elapsed > 0 && elapsed < 1)) return undefined;
  const share = typeof onPace === 'number' ? onPace : null;
  const fresh = typeof newGoals === 'number' && newGoals > 0;
  const projection = projectionOf(trend, elapsed, target, calendar);
  const ahead = projection.projected?.display ?? projection.projection_note;
  return {
    elapsed, expected: target * elapsed, full: target, on_pace_share: share, new_goals: fresh, ...projection,
    display: `${formatValue(elapsed, 'percent')} of the period gone${ahead ? ` · ${ahead}` : ''}${share !== null ? ` · ${formatValue(share, 'percent')} of ${entity.many} on pace for their whole goal` : ''}${fresh && previous ? ` · goals began this period, so not compared with ${previous}` : ''}`,
  };
}
