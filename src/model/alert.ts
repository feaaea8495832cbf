import type { AlertGrain, AlertSpec } from '../spec/alert.js';
import { selects } from '../spec/selectors.js';
import { DEFAULT_LIFECYCLE, type LifecycleModel } from './alert-lifecycle.js';

export type { LifecycleModel };

/** A dimension value a recipient's filter or a slice holds. */
export type SliceValue = string | number | boolean;
export type Slice = Readonly<Record<string, SliceValue>>;

/** What is a breach, with the written keys in camelCase. */
export type AlertCondition =
  | { kind: 'status'; statuses: Array<'red' | 'amber'> }
  | { kind: 'below'; threshold: number }
  | { kind: 'above'; threshold: number }
  | {
    kind: 'change';
    vs: 'previous_period' | 'last_year';
    /** How far a move may go: an amount in the KPI's unit, or a multiple of the KPI's own spread (the standard deviation of its past changes of the same kind as `vs`, in the slice). */
    beyond: { amount: number } | { spreads: number };
    /** Which moves count; undefined: each KPI's bad direction (`breachDirection`). */
    direction?: 'down' | 'up' | 'either';
  };

/**
 * The slices judged: every slice of the `by` dimensions found in the data, or (without `by`)
 * the fixed slices the audience's filters name, `{}` being the total.
 */
export type AlertSlices = { kind: 'by'; by: string[] } | { kind: 'audience'; slices: Slice[] };

export interface AlertRecipient {
  name: string;
  email: string;
  /** The slice the recipient watches; empty: everything. */
  filter: Slice;
}

/** An alert as the evaluation reads it: KPI selectors resolved to ids, every default filled in. */
export interface AlertModel {
  id: string;
  title: string;
  description?: string;
  owner?: string;
  /** The KPIs watched, in the order the alert names them, each once. */
  kpis: string[];
  slices: AlertSlices;
  condition: AlertCondition;
  grain: AlertGrain;
  closedPeriodsOnly: boolean;
  lifecycle: LifecycleModel;
  audience: AlertRecipient[];
}

function condition(when: AlertSpec['when']): AlertCondition {
  if (when.status) return { kind: 'status', statuses: [...when.status] };
  if (when.below !== undefined) return { kind: 'below', threshold: when.below };
  if (when.above !== undefined) return { kind: 'above', threshold: when.above };
  const c = when.change!;
  // Validation holds exactly one of the two; `spreads` is read only when the amount is absent.
  const beyond = c.by_more_than !== undefined ? { amount: c.by_more_than } : { spreads: c.spreads! };
  return { kind: 'change', vs: c.vs, beyond, ...(c.direction ? { direction: c.direction } : {}) };
}

/** The audience's distinct filters, in the order first named (the total for a recipient without one). */
function audienceSlices(audience: AlertSpec['audience']): Slice[] {
  const seen = new Map<string, Slice>();
  for (const r of audience) {
    const filter = r.filter ?? {};
    const key = JSON.stringify(Object.keys(filter).sort().map((k) => [k, filter[k]]));
    if (!seen.has(key)) seen.set(key, { ...filter });
  }
  return [...seen.values()];
}

function lifecycle(written: AlertSpec['lifecycle']): LifecycleModel {
  const l = written ?? {};
  return {
    pending: l.pending ?? DEFAULT_LIFECYCLE.pending,
    ...(l.renotify !== undefined ? { renotify: l.renotify } : {}),
    recovery: l.recovery ?? DEFAULT_LIFECYCLE.recovery,
    onError: l.on_error ?? DEFAULT_LIFECYCLE.onError,
    onNoData: l.on_no_data ?? DEFAULT_LIFECYCLE.onNoData,
  };
}

/** The KPI ids an alert selects, in the order it names them (ids, then tags and stages in catalog order), each once. */
export function alertKpiIds(alert: Pick<AlertSpec, 'kpis'>, kpis: ReadonlyArray<{ id: string; tags?: string[]; stages: string[] }>): string[] {
  const out = new Set<string>();
  for (const selector of alert.kpis) for (const k of kpis) if (selects(selector, k)) out.add(k.id);
  return [...out];
}

/** An alert of a validated project, its selectors resolved against the project's KPIs. */
export function alertModel(spec: AlertSpec, kpis: ReadonlyArray<{ id: string; tags?: string[]; stages: string[] }>): AlertModel {
  return {
    id: spec.id, title: spec.title, ...(spec.description ? { description: spec.description } : {}), ...(spec.owner ? { owner: spec.owner } : {}),
    kpis: alertKpiIds(spec, kpis),
    slices: spec.by ? { kind: 'by', by: [...spec.by] } : { kind: 'audience', slices: audienceSlices(spec.audience) },
    condition: condition(spec.when),
    grain: spec.grain,
    closedPeriodsOnly: spec.closed_periods_only ?? true,
    lifecycle: lifecycle(spec.lifecycle),
    audience: spec.audience.map((r) => ({ name: r.name, email: r.email, filter: { ...(r.filter ?? {}) } })),
  };
}

/** The dimension sets an alert's KPIs must be evaluated for: `by`, or each audience filter's dimensions. */
export function alertDimensionSets(alert: AlertModel): string[][] {
  return alert.slices.kind === 'by' ? [alert.slices.by] : alert.slices.slices.map((s) => Object.keys(s).sort());
}

/** Which moves of a KPI a `change` condition counts: as written, else the KPI's bad direction. */
export function breachDirection(condition: Extract<AlertCondition, { kind: 'change' }>, kpi: { direction: 'higher' | 'lower' }): 'down' | 'up' | 'either' {
  return condition.direction ?? (kpi.direction === 'higher' ? 'down' : 'up');
}

/** Whether a recipient is told about a slice: the slice holds every value of the recipient's filter. */
export function recipientWatches(recipient: AlertRecipient, slice: Slice): boolean {
  return Object.entries(recipient.filter).every(([dim, value]) => slice[dim] === value);
}
