import { partitionsByDefinition } from '../explain/partition.js';
import { addsUp, ordered, shiftShare, sliceChanges, type Cell, type Side, type Split } from '../explain/shift-share.js';
import type { KpiModel } from '../model/kpi.js';
import type { ProjectModel } from '../model/project-model.js';
import type { KpiResultSpec } from '../spec/results.js';
import { formatDelta, label } from './format.js';
import { plural } from './population.js';
import type { Dims } from './target.js';

type Slice = KpiResultSpec['slices'][number];

/** One split of a headline move, as a reader sees it: one sentence, and the numbers behind it. */
export interface MovedBy {
  dimension: string;
  /** "By country: open rate fell in every country; DE −4.1 pp, FR −3.0 pp (rate); mix +0.1 pp." */
  text: string;
  /** Whether the contributions add up to the move; when not, nothing is shown as a share. */
  additive: boolean;
  /** The shown contributions, in value units (largest first; the slices too small to name summed as one). */
  rates: Array<{ slice: string; rate: number }>;
  /** Σ mix + interaction over every slice. */
  mix: number;
  /** The move itself: Σ rates + mix equals it within floating-point dust. */
  change: number;
}

/**
 * The kinds whose support count `n` is the value's denominator, so a period's value is
 * (value × n) ÷ n summed over slices (evaluate/kinds/*): a count ratio, reach, the cap
 * rate, re-engagement, an average per HCP, a funnel, a survey score, the engagement index.
 * A ratio of sums counts its support in HCPs, not in the summed unit; growth, attainment,
 * shares and formulas are not one ratio of counts.
 */
export function nIsDenominator(kpi: KpiModel): boolean {
  const m = kpi.measure;
  switch (m.kind) {
    case 'ratio': return m.denominator.fn !== 'sum';
    case 'reach': case 'cap': case 'reengagement': case 'average': case 'funnel': case 'score': case 'index': return true;
    default: return false;
  }
}

const numeric = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A slice's value in one period as numerator and denominator, from its trend point (value × n over n). */
function cellAt(slice: Slice, period: string): { n: number; d: number } | undefined {
  const p = slice.trend.find((t) => t.period === period);
  if (!p) return undefined;
  if (p.n === 0) return { n: 0, d: 0 };
  return numeric(p.value) ? { n: p.value * p.n, d: p.n } : undefined;
}

const isWithin = (dims: Dims, slice: Slice, dimension: string) => {
  const keys = Object.keys(slice.dims);
  return keys.length === Object.keys(dims).length + 1 && keys.includes(dimension) && Object.entries(dims).every(([k, v]) => slice.dims[k] === v);
};

/** A slice's value in one period, from its trend point. */
function valueAt(slice: Slice, period: string): number | undefined {
  const v = slice.trend.find((t) => t.period === period)?.value;
  return numeric(v) ? v : undefined;
}

/** The recipient's slice and its slices by `dimension` in one period; undefined when a slice's value cannot be placed. */
function sideAt(total: Slice, parts: readonly Slice[], dimension: string, period: string): Side | undefined {
  const whole = cellAt(total, period);
  if (!whole) return undefined;
  const cells: Cell[] = [];
  for (const s of parts) {
    const c = cellAt(s, period);
    // A slice without a number in this period cannot be placed: the sums then fail and say so.
    if (c) cells.push({ slice: s.dims[dimension] === null ? null : String(s.dims[dimension]), ...c });
  }
  return { ...whole, cells };
}

/** "fell in every country", "rose in 3 of 4 countries": the sign of each slice's own rate change. */
function leadWords(split: Split, change: number, dimension: string): string {
  const moved = split.contributions.filter((c) => c.rate_effect !== null && c.rate_effect !== 0);
  const withRate = split.contributions.filter((c) => c.rate_effect !== null);
  const same = moved.filter((c) => c.rate_effect! < 0 === change < 0).length;
  const verb = change < 0 ? 'fell' : 'rose';
  const many = plural(label(dimension));
  if (same === withRate.length && same > 1) return `${verb} in every ${label(dimension)}`;
  return `${verb} in ${same} of ${withRate.length} ${withRate.length === 1 ? label(dimension) : many}`;
}

export interface MovedInput {
  kpi: KpiModel;
  project: ProjectModel;
  result: KpiResultSpec;
  /** The recipient's slice. */
  dims: Dims;
  from: string;
  to: string;
  dimension: string;
  top: number;
  minCell: number;
  /**
   * Where the `from` period is read: another revision's result of the same KPI (a review
   * compares two definitions in one period), with that revision's KPI. Default: `result`.
   */
  before?: { kpi: KpiModel; result: KpiResultSpec };
}

/** The whole split of one slice's move over a dimension, before anything is folded for a reader. */
export interface SliceSplit extends Split {
  dimension: string;
  /** The slice's value in the later and the earlier period, and the move between them. */
  value: number;
  previous: number;
  change: number;
}

/**
 * The move of the recipient's slice over one dimension's slices within it, from the results'
 * trend points: shift-share (each slice's rate effect, mix and interaction) where the slices
 * partition the slice by definition and in the numbers; otherwise each slice's own change and
 * the residual, with the reason (as `kpiops explain` splits a total). Undefined when the KPI's
 * value is not one ratio of its support, the dimension is not sliced, or a period has no value.
 */
export function splitWithin(input: WithinInput): SliceSplit | undefined {
  const sides = within(input);
  if (!sides) return undefined;
  const { s0, s1, overlap, v0: previous, v1: value } = sides;
  const split = overlap ? sliceChanges(s0, s1, 1, overlap) : shiftShare(s0, s1);
  return { dimension: input.dimension, ...split, contributions: ordered(split.contributions), value, previous, change: value - previous };
}

type WithinInput = Omit<MovedInput, 'top' | 'minCell'>;

/** The two periods' sides of the split, and why the slices do not partition the slice when they do not. */
function within(input: WithinInput): { s0: Side; s1: Side; v0: number; v1: number; overlap?: string } | undefined {
  const { kpi, result, dims, dimension } = input;
  const earlier = input.before ?? { kpi, result };
  if (![kpi, earlier.kpi].every((k) => nIsDenominator(k) && k.dimensions.includes(dimension)) || dimension in dims) return undefined;
  const totalOf = (r: KpiResultSpec) => r.slices.find((s) => Object.keys(s.dims).length === Object.keys(dims).length && Object.entries(dims).every(([k, v]) => s.dims[k] === v));
  const [total0, total1] = [totalOf(earlier.result), totalOf(result)];
  const [parts0, parts1] = [earlier.result, result].map((r) => r.slices.filter((s) => isWithin(dims, s, dimension)));
  if (!total0 || !total1 || parts0!.length === 0 || parts1!.length === 0) return undefined;
  const [s0, s1] = [sideAt(total0, parts0!, dimension, input.from), sideAt(total1, parts1!, dimension, input.to)];
  if (!s0 || !s1 || s0.d === 0 || s1.d === 0) return undefined;
  const structures = [kpi, earlier.kpi].map((k) => partitionsByDefinition(k.measure, dimension, input.project, input.project.words));
  const structure = structures.find((s) => !s.partitions) ?? structures[0]!;
  const overlap = !structure.partitions ? structure.reason : !addsUp(s0) || !addsUp(s1) ? `the ${label(dimension)} slices do not add up to the total` : undefined;
  // The values as the results hold them (n × value ÷ n can differ in the last digit).
  const [v0, v1] = [valueAt(total0, input.from), valueAt(total1, input.to)];
  if (v0 === undefined || v1 === undefined) return undefined;
  return { s0, s1, v0, v1, ...(overlap ? { overlap } : {}) };
}

/**
 * What moved a headline mover, over one dimension's slices within the recipient's slice:
 * each slice's rate effect and the mix (with interaction) summed, from the results' trend
 * points. Only where the slices partition the recipient's total by definition and in the
 * numbers; otherwise it says the slices overlap and shows no share. Slices counting fewer
 * than the minimum cell in either period, and those past the top few, are summed as one.
 */
export function movedBy(input: MovedInput): MovedBy | undefined {
  const { kpi, dimension } = input;
  const sides = within(input);
  if (!sides) return undefined;
  const { s0, s1, overlap } = sides;
  const change = s1.n / s1.d - s0.n / s0.d;
  const title = `By ${label(dimension)}`;
  if (overlap) return { dimension, additive: false, rates: [], mix: 0, change, text: `${title}: not split (${overlap}), so no share of the move is shown.` };
  const split = shiftShare(s0, s1);
  const name = kpi.name.toLowerCase();
  const small = new Set([...s0.cells, ...s1.cells].filter((c) => c.d < input.minCell).map((c) => String(c.slice)));
  const named = split.contributions
    .filter((c) => !small.has(String(c.slice)))
    .sort((a, b) => Math.abs(b.rate_effect!) - Math.abs(a.rate_effect!) || String(a.slice).localeCompare(String(b.slice)))
    .slice(0, input.top);
  const restOf = () => split.contributions.filter((c) => !named.some((n) => n.slice === c.slice));
  // As complementary suppression: a small slice summed alone, or with too little beside it, could be told apart, so a named one joins it.
  const tooFew = (rest: typeof named) => rest.some((c) => small.has(String(c.slice)))
    && (rest.length < 2 || [s0, s1].some((side) => side.cells.filter((c) => rest.some((r) => r.slice === c.slice)).reduce((t, c) => t + c.d, 0) < input.minCell));
  while (named.length > 0 && tooFew(restOf())) named.pop();
  const rest = restOf();
  // Slice values are shown as words (`high_prescriber` as "high prescriber"), as dimension names are.
  const rates = named.map((c) => ({ slice: c.slice === null ? `no ${label(dimension)}` : label(c.slice), rate: c.rate_effect! }));
  if (rest.length > 0) {
    const others = rest.length === 1 && !small.has(String(rest[0]!.slice)) ? (rest[0]!.slice === null ? `no ${label(dimension)}` : label(rest[0]!.slice)) : `${rest.length} other ${rest.length === 1 ? label(dimension) : plural(label(dimension))}`;
    rates.push({ slice: others, rate: rest.reduce((s, c) => s + c.rate_effect!, 0) });
  }
  const mix = split.contributions.reduce((s, c) => s + c.mix_effect! + c.interaction!, 0);
  const delta = (x: number) => formatDelta(0, x, kpi.unit, kpi.unit === 'score' ? 1 : undefined);
  const text = `${title}: ${name} ${leadWords(split, change, dimension)}; ${rates.map((r) => `${r.slice} ${delta(r.rate)}`).join(', ')} (rate); mix ${delta(mix)}.`;
  return { dimension, additive: true, rates, mix, change, text };
}
