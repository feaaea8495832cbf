import type { KpiModel } from '../model/kpi.js';
import type { Grain } from '../spec/common.js';
import type { KpiResultSpec } from '../spec/results.js';
import type { OverrideSpec, TargetValue } from '../spec/target.js';
import { directed, percentile } from './percentile.js';
import { roundTo, stepFor } from './rounding.js';

/** Fewer periods with a value than this (or than asked, when fewer are asked) is too little history for a target. */
export const MIN_PERIODS = 6;

export type Dims = Record<string, string | number | boolean | null>;

/** One figure of a suggestion: the total (`slice` {}) or one override's slice. */
export interface SliceSuggestion {
  slice: Dims;
  /** The percentile taken: the one asked for, mirrored for lower-is-better KPIs. */
  percentile: number;
  /** The periods whose values were used, oldest first. */
  periods: { period: string; value: number }[];
  /** The periods of the window left out, and why. */
  skipped: { period: string; why: string }[];
  /** How many periods the window asked for. */
  window: number;
  unrounded?: number;
  step?: number;
  /** `null` when there is too little history (see `reason`). */
  suggested: number | null;
  current: TargetValue | null;
  reason?: string;
}

export interface KpiSuggestion {
  kpi: string;
  grain: Grain;
  /** The period the KPI reports (a lagging KPI reports an earlier one than asked). */
  reported: string;
  /** Why nothing is suggested for this KPI at all. */
  refused?: string;
  slices: SliceSuggestion[];
  /** What the reader should know: slices that cannot be addressed, a schedule that wins over `value`. */
  notes: string[];
}

export interface SuggestOptions {
  percentile: number;
  periods: number;
  grain: Grain;
}

/** The target block a grain's figures go to: the KPI's own at its month grain, else `target.grains.<grain>`. */
export function targetBlock(kpi: KpiModel, grain: Grain): { value?: TargetValue; overrides?: OverrideSpec[] } {
  return (grain === 'month' ? kpi.target : kpi.target?.grains?.[grain]) ?? {};
}

/** Why a KPI's target cannot come from its history, or undefined when it can. */
function refusal(kpi: KpiModel, result: KpiResultSpec): string | undefined {
  const isMix = result.slices.some((s) => isRecord(s.value) || s.trend.some((t) => isRecord(t.value)));
  if (isMix) return 'its value is a mix of shares; a target mix is a choice of policy, not a level history can suggest';
  if (kpi.target?.relative) return `its target is relative (to: ${kpi.target.relative.to}), computed each period; a fixed figure would replace that rule`;
  return undefined;
}

const isRecord = (v: unknown) => typeof v === 'object' && v !== null;

/**
 * The dimension sets the target addresses: those its overrides at this grain already use,
 * else `brand` when the KPI is sliced by brand (and judged against its target, not absolute
 * bands), else none (the total only).
 */
function addressed(kpi: KpiModel, grain: Grain): string[][] {
  const sets = new Map<string, string[]>();
  for (const o of targetBlock(kpi, grain).overrides ?? []) {
    const dims = Object.keys(o.where).sort();
    sets.set(dims.join(','), dims);
  }
  // Absolute thresholds are one set of bands for every slice: a brand's own target would change nothing shown.
  if (sets.size === 0 && kpi.dimensions.includes('brand') && kpi.bands.mode !== 'absolute') sets.set('brand', ['brand']);
  return [...sets.values()];
}

const sameDims = (a: Dims, b: Readonly<Record<string, unknown>>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** Suggested targets for one KPI from its results (evaluated with a trend of at least `periods`). */
export function suggestTargets(kpi: KpiModel, result: KpiResultSpec, options: SuggestOptions): KpiSuggestion {
  const base = { kpi: kpi.id, grain: options.grain, reported: result.period.label, slices: [], notes: [] };
  const refused = refusal(kpi, result);
  if (refused) return { ...base, refused };
  const block = targetBlock(kpi, options.grain);
  const notes: string[] = [];
  if (kpi.bands.mode === 'absolute') notes.push(`its thresholds are absolute (green ${kpi.bands.green}, amber ${kpi.bands.amber}): they, not the target, decide the status`);
  if (options.grain === 'month' && kpi.target?.schedule) notes.push('its target has a schedule, which wins over `value` from its first period on');
  const slices: SliceSuggestion[] = [];
  const total = result.slices.find((s) => Object.keys(s.dims).length === 0);
  if (total) slices.push(suggestSlice(kpi, total, block.value ?? null, options));
  for (const dims of addressed(kpi, options.grain)) {
    const matching = result.slices.filter((s) => Object.keys(s.dims).length === dims.length && dims.every((d) => d in s.dims));
    if (matching.length === 0) notes.push(`the results have no slices by ${dims.join(' × ')}; its overrides are left as they are`);
    for (const s of matching) {
      if (Object.values(s.dims).some((v) => v === null)) continue; // rows without the dimension: no override can name them
      const current = block.overrides?.find((o) => sameDims(s.dims, o.where))?.value ?? null;
      slices.push(suggestSlice(kpi, s, current, options));
    }
  }
  return { ...base, slices, notes };
}

type ResultSlice = KpiResultSpec['slices'][number];

function suggestSlice(kpi: KpiModel, slice: ResultSlice, current: TargetValue | null, options: SuggestOptions): SliceSuggestion {
  const reported = slice.trend.at(-1)?.period;
  const window = slice.trend.filter((t) => t.period !== reported).slice(-options.periods);
  const periods: SliceSuggestion['periods'] = [];
  const skipped: SliceSuggestion['skipped'] = [];
  for (const t of window) {
    if (typeof t.value !== 'number') skipped.push({ period: t.period, why: t.reason ? `no value (${t.reason})` : 'no value' });
    else if (kpi.minSample !== undefined && t.n < kpi.minSample) skipped.push({ period: t.period, why: `n = ${t.n}, below min_sample ${kpi.minSample}` });
    else periods.push({ period: t.period, value: t.value });
  }
  const p = directed(options.percentile, kpi.direction);
  const out = { slice: slice.dims, percentile: p, periods, skipped, window: options.periods, current };
  const needed = Math.min(MIN_PERIODS, options.periods);
  if (periods.length < needed) {
    const missing = window.length < options.periods ? `the results hold ${window.length} of the ${options.periods} periods asked for; ` : '';
    const left = skipped.length > 0 ? ` (left out: ${leftOutWords(skipped)})` : '';
    return { ...out, suggested: null, reason: `too little history: ${missing}${periods.length} of ${window.length} with a usable value${left}, ${needed} needed` };
  }
  const unrounded = percentile(periods.map((x) => x.value), p)!;
  // The step fits the scale of the series, not of the figure: a brand whose NPS hovers near 0 still gets whole points.
  const step = stepFor(kpi.unit, Math.max(...periods.map((x) => Math.abs(x.value))));
  return { ...out, unrounded, step, suggested: roundTo(unrounded, step) };
}

/** The periods left out, grouped by why: "2024-04…2024-10 no value (…); 2025-01 n = 80, below min_sample 100". */
export function leftOutWords(skipped: readonly { period: string; why: string }[]): string {
  const byWhy = new Map<string, string[]>();
  for (const k of skipped) byWhy.set(k.why, [...(byWhy.get(k.why) ?? []), k.period]);
  return [...byWhy].map(([why, periods]) => `${periods.length > 2 ? `${periods[0]}…${periods.at(-1)} (${periods.length})` : periods.join(', ')} ${why}`).join('; ');
}
