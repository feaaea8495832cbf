import type { MeasureModel } from '../model/measure.js';

/** A value written as scale × n ÷ d, from a slice's components. */
export interface RatioForm {
  n: number;
  d: number;
}

type Parts = Record<string, unknown>;
const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const both = (n: unknown, d: unknown): RatioForm | undefined => {
  const [a, b] = [num(n), num(d)];
  return a === undefined || b === undefined ? undefined : { n: a, d: b };
};

/** The mean of a score distribution as Σ answer × count ÷ respondents. */
function scoreSum(parts: Parts): number | undefined {
  const distribution = parts.distribution;
  if (!distribution || typeof distribution !== 'object') return undefined;
  return Object.entries(distribution as Record<string, number>).reduce((s, [answer, count]) => s + Number(answer) * count, 0);
}

/**
 * How each kind whose value is one ratio writes it: its scale and its numerator and
 * denominator from the components the evaluator leaves (`evaluate/kinds/*`). Kinds whose
 * value is not one ratio (a formula of other KPIs, a share per category, an attainment
 * with pace) have none: they are not decomposed by slice.
 */
export function ratioForm(measure: MeasureModel): { scale: number; read: (parts: Parts, value: number | null) => RatioForm | undefined } | { reason: string } {
  switch (measure.kind) {
    case 'ratio': return { scale: 1, read: (p) => both(p.numerator, p.denominator) };
    case 'reach': return { scale: 1, read: (p) => both(p.reached, p.population) };
    case 'cap': return { scale: 1, read: (p) => both(p.over_contacted, p.reached) };
    case 'reengagement': return { scale: 1, read: (p) => both(p.reengaged, p.lapsed) };
    case 'average': return { scale: 1, read: (p) => both(p.total, p.population) };
    case 'growth': return { scale: 1, read: (p) => both(num(p.current)! - num(p.comparison)!, p.comparison) };
    case 'funnel': return {
      scale: 1,
      read: (p) => {
        const steps = Array.isArray(p.steps) ? (p.steps as { count: number }[]) : [];
        return steps.length < 2 ? undefined : both(steps.at(-1)!.count, steps[0]!.count);
      },
    };
    case 'score':
      switch (measure.method) {
        case 'nps': return { scale: 100, read: (p) => both(num(p.promoters)! - num(p.detractors)!, p.respondents) };
        case 'top_box': return { scale: 100, read: (p) => both(p.top_box, p.respondents) };
        case 'mean': return { scale: 1, read: (p) => both(scoreSum(p), p.respondents) };
      }
    // The index is the mean of each HCP's score: its sum is the value times the population.
    case 'index': return { scale: 1, read: (p, value) => (value === null ? undefined : both(value * num(p.population)!, p.population)) };
    case 'attainment': return { reason: 'an attainment weighs each goal by its own pace, not one ratio of counts' };
    case 'share': return { reason: 'the value is a share per category, not one number' };
    case 'stage': return { reason: 'the value is a share per stage, not one number' };
    case 'benchmark': return { reason: 'the value is a gap between our value and competitors\', not a ratio of counts' };
    case 'derived': return { reason: 'the value is a formula of other KPIs; explain those KPIs instead' };
  }
}
