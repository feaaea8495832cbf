import type { KpiModel } from '../model/kpi.js';
import type { ProjectModel } from '../model/project-model.js';
import type { KpiResultSpec } from '../spec/results.js';
import { partitionsByDefinition } from './partition.js';
import { funnelParts, indexParts, npsParts, type IndexMeans, type NpsCounts } from './parts.js';
import { ratioForm } from './ratio-form.js';
import { addsUp, ordered, shiftShare, sliceChanges, type Cell, type Side, type Split } from './shift-share.js';

/** One way of splitting the change: by a dimension's slices, or by the parts of the value's formula (`parts`). */
export interface ByDimension extends Split {
  dimension: string;
  /** For `parts`: how the formula was split. */
  method?: string;
}

/** `kpiops explain --format json`: scripts read exactly these keys (docs/explain.md). */
export interface Explanation {
  kpi: string;
  period: string;
  compared_to: string;
  value: number;
  previous: number;
  change: number;
  by: ByDimension[];
}

type Slice = KpiResultSpec['slices'][number];
const total = (r: KpiResultSpec) => r.slices.find((s) => Object.keys(s.dims).length === 0);
const sliceName = (s: Slice, dimension: string) => {
  const v = s.dims[dimension];
  return v === null || v === undefined ? null : String(v);
};
const numeric = (v: Slice['value'] | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The total and the slices of `dimension` in one period, as numerators and denominators. */
function side(result: KpiResultSpec, dimension: string, read: (s: Slice) => Cell | undefined): Side | undefined {
  const all = total(result);
  const whole = all && read(all);
  if (!whole) return undefined;
  const cells: Cell[] = [];
  for (const s of result.slices) {
    const keys = Object.keys(s.dims);
    if (keys.length !== 1 || keys[0] !== dimension) continue;
    const cell = read(s);
    // A slice without its parts cannot be placed: the sums then fail and say so.
    if (cell) cells.push({ ...cell, slice: sliceName(s, dimension) });
  }
  return { n: whole.n, d: whole.d, cells };
}

/** The split of the change over one dimension's slices: shift-share where they partition the total, slice changes where not. */
function byDimension(kpi: KpiModel, project: ProjectModel, before: KpiResultSpec, after: KpiResultSpec, dimension: string): ByDimension {
  const form = ratioForm(kpi.measure);
  if ('reason' in form) return { dimension, additive: false, residual: numeric(total(after)?.value)! - numeric(total(before)?.value)!, contributions: [], reason: form.reason };
  const read = (s: Slice): Cell | undefined => {
    const r = form.read(s.components, numeric(s.value) ?? null);
    return r ? { slice: null, ...r } : undefined;
  };
  const [s0, s1] = [side(before, dimension, read), side(after, dimension, read)];
  const change = numeric(total(after)?.value)! - numeric(total(before)?.value)!;
  if (!s0 || !s1 || s0.d === 0 || s1.d === 0) return { dimension, additive: false, residual: change, contributions: [], reason: 'the total has no denominator in one of the periods' };
  const structure = partitionsByDefinition(kpi.measure, dimension, project, project.words);
  const split: Split = !structure.partitions ? sliceChanges(s0, s1, form.scale, structure.reason)
    : !addsUp(s0) || !addsUp(s1) ? sliceChanges(s0, s1, form.scale, `the ${dimension} slices do not add up to the total`)
      : shiftShare(s0, s1, form.scale);
  return { dimension, ...split, contributions: ordered(split.contributions) };
}

/** The split of the change over the parts of the value's formula, for the kinds whose formula has parts. */
function byParts(kpi: KpiModel, before: Slice, after: Slice): ByDimension | undefined {
  const m = kpi.measure;
  // The evaluator of the measure's kind wrote these components (evaluate/kinds/*).
  type Known = NpsCounts & Omit<IndexMeans, 'value'> & { steps: { count: number }[] };
  const c0 = before.components as unknown as Known;
  const c1 = after.components as unknown as Known;
  let split: ReturnType<typeof funnelParts> | undefined;
  if (m.kind === 'score' && m.method === 'nps') split = npsParts(c0, c1);
  else if (m.kind === 'funnel') {
    const counts = (c: Known) => c.steps.map((s) => s.count);
    split = funnelParts(m.steps.map((s) => s.name), counts(c0), counts(c1));
  } else if (m.kind === 'index') split = indexParts(m.weights, { ...c0, value: before.value as number }, { ...c1, value: after.value as number });
  if (!split) return undefined;
  const change = (after.value as number) - (before.value as number);
  if ('reason' in split) return { dimension: 'parts', additive: false, residual: change, contributions: [], reason: split.reason };
  return { dimension: 'parts', ...split, contributions: ordered(split.contributions) };
}

/**
 * Why a KPI moved between two evaluations of it: the change of its total, split by the parts
 * of its formula (NPS, funnels, the engagement index) and over each dimension's slices.
 * A problem instead when either period has no value to compare.
 */
export function explain(kpi: KpiModel, project: ProjectModel, before: KpiResultSpec, after: KpiResultSpec, dimensions: readonly string[]): { explanation: Explanation } | { problem: string } {
  const [t0, t1] = [total(before), total(after)];
  const [v0, v1] = [numeric(t0?.value), numeric(t1?.value)];
  if (v1 === undefined) return { problem: `${kpi.id} has no value for ${after.period.label}${t1?.reason ? ` (${t1.reason})` : ''}` };
  if (v0 === undefined) return { problem: `${kpi.id} has no value for ${before.period.label} to compare with${t0?.reason ? ` (${t0.reason})` : ''}` };
  const parts = byParts(kpi, t0!, t1!);
  return {
    explanation: {
      kpi: kpi.id, period: after.period.label, compared_to: before.period.label, value: v1, previous: v0, change: v1 - v0,
      by: [...(parts ? [parts] : []), ...dimensions.map((d) => byDimension(kpi, project, before, after, d))],
    },
  };
}
