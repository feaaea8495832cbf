import type { IndexWeights } from '../model/measure.js';
import type { Split } from './shift-share.js';

/** A contribution that is one part of the value's formula: no rate or mix, only its share of the change. */
// (+ 0 turns a −0 from a product of a negative and a zero into 0.)
const part = (slice: string, total: number) => ({ slice, rate_effect: null, mix_effect: null, interaction: null, total: total + 0 });
const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/** Sums agree within this share of the larger (the parts are re-added in floating point). */
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function split(change: number, contributions: ReturnType<typeof part>[], method: string): Split & { method: string } {
  return { additive: true, residual: change - sum(contributions.map((c) => c.total)), contributions, method };
}

export interface NpsCounts { promoters: number; detractors: number; respondents: number }

/** NPS = 100 × (promoter share − detractor share): the change is the promoters' part plus the detractors' (a fall in detractors raises it). */
export function npsParts(before: NpsCounts, after: NpsCounts): Split & { method: string } {
  const promoters = 100 * (after.promoters / after.respondents - before.promoters / before.respondents);
  const detractors = -100 * (after.detractors / after.respondents - before.detractors / before.respondents);
  return split(promoters + detractors, [part('promoters', promoters), part('detractors', detractors)], 'promoter and detractor shares');
}

/**
 * A funnel's conversion is the product of its step rates, so the change is split with
 * logarithmic weights: step k gets L · ln(r1k ÷ r0k), L the logarithmic mean of the two
 * values, and the steps add to the change exactly whatever their order. Where a step rate
 * is 0 logarithms do not exist: the steps are then changed one after another in funnel
 * order (earlier steps at their new rate, later ones at the old), which also adds up exactly.
 */
export function funnelParts(names: readonly string[], before: readonly number[], after: readonly number[]): Split & { method: string } | { reason: string } {
  const rates = (counts: readonly number[]) => counts.slice(1).map((c, i) => c / counts[i]!);
  if (before[0] === 0 || after[0] === 0) return { reason: `no ${names[0]} in one of the periods` };
  const [r0, r1] = [rates(before), rates(after)];
  const product = (xs: readonly number[]) => xs.reduce((p, x) => p * x, 1);
  const [v0, v1] = [product(r0), product(r1)];
  const label = (i: number) => `${names[i]} → ${names[i + 1]}`;
  if ([...r0, ...r1].every((r) => Number.isFinite(r) && r > 0)) {
    const mean = v0 === v1 ? v0 : (v1 - v0) / Math.log(v1 / v0);
    return split(v1 - v0, r0.map((_r, i) => part(label(i), mean * Math.log(r1[i]! / r0[i]!))), 'step rates, logarithmic');
  }
  if ([...r0, ...r1].some((r) => !Number.isFinite(r))) return { reason: 'a step had no one entering it in one of the periods' };
  return split(v1 - v0, r0.map((_r, i) => part(label(i), product(r1.slice(0, i)) * (r1[i]! - r0[i]!) * product(r0.slice(i + 1)))), 'step rates, in funnel order');
}

export interface IndexMeans { breadth: number; depth: number; consistency: number; value: number }

/**
 * The index is 100 × (wb·breadth + wd·depth + wc·consistency) averaged over the population,
 * so its change is the weighted change of each part's mean. When the parts do not rebuild
 * the value (weights changed since), no split is given.
 */
export function indexParts(weights: IndexWeights, before: IndexMeans, after: IndexMeans): Split & { method: string } | { reason: string } {
  const rebuilt = (m: IndexMeans) => 100 * (weights.breadth * m.breadth + weights.depth * m.depth + weights.consistency * m.consistency);
  if (!close(rebuilt(before), before.value) || !close(rebuilt(after), after.value)) return { reason: 'the parts do not rebuild the index with its weights' };
  const names = ['breadth', 'depth', 'consistency'] as const;
  return split(after.value - before.value, names.map((k) => part(k, 100 * weights[k] * (after[k] - before[k]))), 'breadth, depth and consistency');
}
