import { parseDuration } from '../../model/duration.js';
import { CALENDAR_KINDS } from '../../model/rolling.js';
import type { AlertSpec } from '../../spec/alert.js';
import type { KpiSpec } from '../../spec/kpi.js';
import type { Loaded } from '../files.js';
import type { Rule, RuleContext } from '../rule.js';
import { watchedKpis } from './alert-watched.js';
import { valueBounds } from './targets.js';

/** A value written in percent where a fraction belongs (20 for 0.20): the fraction it likely means. */
const asFraction = (value: number, bounds: { max: number }) => (bounds.max === 1 && Math.abs(value) > 1 && Math.abs(value) <= 100 ? String(value / 100) : undefined);

/** `below`/`above` lie within the values each watched KPI can take; a `change` amount within the distance they span. */
function checkThreshold(ctx: RuleContext, { file, spec }: Loaded<AlertSpec>, kpis: KpiSpec[]) {
  const { below, above, change } = spec.when;
  const level = below ?? above;
  const key = below !== undefined ? 'below' : 'above';
  const outside = (test: (b: NonNullable<ReturnType<typeof valueBounds>>) => boolean) => kpis.filter((k) => {
    const b = valueBounds(k);
    return b !== undefined && test(b);
  });
  if (level !== undefined) {
    const wrong = outside((b) => level < b.min || level > b.max);
    if (wrong.length > 0) {
      const bounds = valueBounds(wrong[0]!)!;
      ctx.report('alert/threshold-unit', { value: level, bound: bounds.text, kpis: wrong.map((k) => k.id), suggestion: asFraction(level, bounds) }, { file, path: ['when', key] });
    }
  }
  const amount = change?.by_more_than;
  if (amount === undefined) return;
  const wrong = outside((b) => amount > b.max - b.min);
  if (wrong.length === 0) return;
  const bounds = valueBounds(wrong[0]!)!;
  ctx.report('alert/threshold-unit', { value: amount, bound: bounds.text, span: bounds.max - bounds.min, kpis: wrong.map((k) => k.id), suggestion: asFraction(amount, bounds) }, { file, path: ['when', 'change', 'by_more_than'] });
}

/** The watched KPIs that cannot be judged at the alert's grain, with why. */
function grainProblems(spec: AlertSpec, kpis: KpiSpec[]): Array<{ kpi: string; reason: string }> {
  const short = spec.grain === 'week' || spec.grain === 'rolling_7d';
  const rolling = spec.grain === 'rolling_7d' || spec.grain === 'rolling_28d';
  const lastYear = spec.when.change?.vs === 'last_year';
  return kpis.flatMap((k) => {
    if (rolling && CALENDAR_KINDS[k.measure.kind]) return [{ kpi: k.id, reason: CALENDAR_KINDS[k.measure.kind]! }];
    if (short && k.measure.kind === 'cap' && k.measure.per === 'month') return [{ kpi: k.id, reason: 'it counts the HCPs over a monthly contact cap, which a period shorter than a month cannot show' }];
    // Weeks are not compared with the same week a year earlier (52 weeks is not a year, and week 53 has none).
    if (short && lastYear) return [{ kpi: k.id, reason: 'a week is not compared with the same week a year earlier, so `vs: last_year` would never have a value to compare with; use `vs: previous_period`, or a month or 28-day grain' }];
    return [];
  });
}

/**
 * An alert's condition fits the KPIs it watches: thresholds in their unit, a status only
 * where there is a target, a change that says how far, a grain each KPI can be judged at,
 * and a re-notify interval of at least a day.
 */
export const alertCondition: Rule = {
  name: 'alert-condition',
  withoutProject: true,
  check(ctx) {
    for (const alert of ctx.files.alerts) {
      const { file, spec } = alert;
      const kpis = watchedKpis(spec, ctx.files);
      const conditions = Object.keys(spec.when);
      if (conditions.length > 1) ctx.report('alert/one-condition', { keys: conditions }, { file, path: ['when'], target: 'key' });
      checkThreshold(ctx, alert, kpis);
      const untargeted = kpis.filter((k) => k.target === undefined).map((k) => k.id);
      if (spec.when.status && untargeted.length > 0) ctx.report('alert/status-without-target', { kpis: untargeted }, { file, path: ['when', 'status'], target: 'key' });
      const change = spec.when.change;
      if (change && (change.by_more_than === undefined) === (change.spreads === undefined)) {
        ctx.report('alert/change-amount', { given: change.by_more_than === undefined ? 'none' : 'both' }, { file, path: ['when', 'change'], target: 'key' });
      }
      for (const problem of grainProblems(spec, kpis)) ctx.report('alert/grain', { ...problem, grain: spec.grain }, { file, path: ['grain'] });
      const renotify = spec.lifecycle?.renotify;
      const every = renotify === undefined ? undefined : parseDuration(renotify);
      if (every && every.years + every.months + every.weeks + every.days === 0) ctx.report('alert/zero-renotify', {}, { file, path: ['lifecycle', 'renotify'] });
    }
  },
};
