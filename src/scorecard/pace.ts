import type { EntityWords } from '../model/entity-words.js';
import type { KpiModel } from '../model/kpi.js';
import { parsePeriod, type Calendar } from '../model/period.js';
import { pastPeriods, projectEnd, ruleFor } from '../projection/project.js';
import { spanOf, type Span } from '../projection/span.js';
import type { KpiResultSpec } from '../spec/results.js';
import type { TargetValue } from '../spec/target.js';
import { formatValue } from './format.js';
import type { KpiRow, TrendView } from './view.js';

type Slice = KpiResultSpec['slices'][number];
type Pace = NonNullable<KpiRow['pace']>;

const pct = (x: number) => formatValue(x, 'percent');

/** A range as one figure: "61.0–74.0%" (the unit once). */
const range = (low: number, high: number) => `${pct(low).replace(/%$/, '')}–${pct(high)}`;

/**
 * Where attainment lands at the end of the goals' planning period, from the slice's own trend:
 * the past periods at the same place (see projection/). Only a monthly trend is read: the
 * planning period is found among the calendar's quarters, halves and years by month. The
 * trend is the whole one the results carry (goal attainment's reaches 27 months back, for 9
 * past quarters and an 80 % range), not the 13 points the row shows.
 */
function projectionOf(trend: readonly TrendView[], elapsed: number, target: number, calendar: Calendar): Pick<Pace, 'projected' | 'projection_note'> & { span?: Span['name'] } {
  const points = trend.map((t) => ({ period: parsePeriod(t.period, calendar), value: t.value }));
  const today = points.at(-1);
  if (!today?.period || today.period.grain !== 'month' || today.value === null) return {};
  const span = spanOf(today.period.start, elapsed, calendar.fiscalYearStart);
  // Goals on their own cycles never get a projection: saying so every month would be noise.
  // A missing history is said (it goes away as periods complete).
  if (!span) return {};
  const months = points.flatMap((p) => (p.period?.grain === 'month' ? [{ start: p.period.start, value: p.value }] : []));
  const projection = projectEnd(today.value, pastPeriods(months, span, calendar.fiscalYearStart), { rule: ruleFor(span), cap: 1 });
  if (!projection) return { span: span.name, projection_note: `no complete past ${span.name} to project from` };
  const many = `${projection.periods} past ${span.name}${projection.periods === 1 ? '' : 's'}`;
  const spread = projection.low !== undefined && projection.high !== undefined
    ? ` (${Math.round(100 * projection.coverage!)}% range ${range(projection.low, projection.high)}, from ${many})`
    : ` (from ${many}, too few for a range)`;
  const curve = projection.share !== undefined ? target * projection.share : undefined;
  return {
    span: span.name,
    projected: {
      value: projection.value, ...(projection.low !== undefined ? { low: projection.low, high: projection.high!, coverage: projection.coverage! } : {}), periods: projection.periods, span: span.name,
      ...(curve !== undefined ? { expected_curve: curve } : {}),
      display: `on pace for ${pct(projection.value)} by ${span.name} end${spread}`,
    },
  };
}

/**
 * Goal attainment counts points to date, so before the goals' planning periods end it is
 * read against the pace: the target times the share of the period gone by (the mean over
 * the goals), next to the share of HCPs on pace and where the value is heading by the end of
 * the period. At the end of the period it is the target.
 *
 * The line keeps to one fact a clause: "33.7% of the quarter gone · on pace for 21.8% by
 * quarter end (60% range 20.8–22.6%, from 4 past quarters) · 7.6% due by now on their curve ·
 * 0.9% of HCPs on pace". The straight line's share due by now is the row's target ("7.4% by
 * now"), so it is not repeated; the past quarters' curve is said nowhere else, so it stays,
 * short. "On pace" for HCPs is each HCP's own goal.
 */
export function paceOf(spec: Pick<KpiModel, 'measure'>, slice: Slice | undefined, target: TargetValue | undefined, previous: string | undefined, entity: EntityWords, trend: readonly TrendView[] = [], calendar: Calendar = { fiscalYearStart: 1 }): KpiRow['pace'] {
  const { elapsed, on_pace_share: onPace, new_goals: newGoals } = (slice?.components ?? {}) as { elapsed?: unknown; on_pace_share?: unknown; new_goals?: unknown };
  if (spec.measure.kind !== 'attainment' || typeof target !== 'number' || typeof elapsed !== 'number' || !(elapsed > 0 && elapsed < 1)) return undefined;
  const share = typeof onPace === 'number' ? onPace : null;
  const fresh = typeof newGoals === 'number' && newGoals > 0;
  const { span, ...projection } = projectionOf(trend, elapsed, target, calendar);
  const curve = projection.projected?.expected_curve;
  const clauses = [
    `${pct(elapsed)} of the ${span ?? 'period'} gone`,
    projection.projected?.display ?? projection.projection_note,
    curve !== undefined ? `${pct(curve)} due by now on their curve` : undefined,
    share !== null ? `${pct(share)} of ${entity.many} on pace` : undefined,
    fresh && previous ? `goals began this period, so not compared with ${previous}` : undefined,
  ];
  return {
    elapsed, expected: target * elapsed, full: target, on_pace_share: share, new_goals: fresh, ...projection,
    display: clauses.filter((c) => c !== undefined).join(' · '),
  };
}
