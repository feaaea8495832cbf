import type { PlannedKpi } from '../compile/plan.js';
import type { EntityWords } from '../model/entity-words.js';

/** A KPI's value in one period and slice. */
export interface Value {
  value: number | Record<string, number> | null;
  /** Why the value is missing (null), in words. */
  reason?: string;
  /** The support count: HCPs, touches, respondents or goals behind the value. */
  n: number;
  components: Record<string, unknown>;
}

/** Another KPI's value in a slice and period (derived and benchmark KPIs read their inputs through it). */
export type InputValue = (id: string, slice: Record<string, string | number | boolean | null>, period: string) => { value: Value['value']; n: number } | undefined;

/** Reads one component of the KPI in the current period and slice (0 when no row has it). */
export type Read = (component: string) => number;
/** Reads a histogram component: answer → count. */
export type ReadHistogram = (component: string) => Record<string, number>;

const divide = (num: number, den: number, n: number, components: Record<string, unknown>, why: string): Value =>
  den === 0 ? { value: null, reason: why, n, components } : { value: num / den, n, components };

export function reachValue(read: Read, entity: EntityWords): Value {
  const reached = read('reached');
  const population = read('population');
  return divide(reached, population, population, { reached, population }, `no ${entity.many} in the population`);
}

export function ratioValue(read: Read): Value {
  const numerator = read('numerator');
  const denominator = read('denominator');
  const n = Number.isNaN(read('support')) ? denominator : read('support');
  return divide(numerator, denominator, n, { numerator, denominator }, 'the denominator is 0');
}

export function shareValue(read: Read, kpi: PlannedKpi): Value {
  const categories = kpi.settings.categories as string[];
  const counts = Object.fromEntries(categories.map((c) => [c, read(`touches_${c}`)]));
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total === 0) return { value: null, reason: 'no engaged touches', n: 0, components: { touches: counts } };
  return { value: Object.fromEntries(categories.map((c) => [c, counts[c]! / total])), n: total, components: { touches: counts } };
}

/** NPS, top-box share or mean from the answer distribution. */
export function scoreValue(histogram: Record<string, number>, kpi: PlannedKpi): Value {
  const answers = Object.entries(histogram).map(([k, v]) => [Number(k), v] as const).sort((a, b) => a[0] - b[0]);
  const respondents = answers.reduce((sum, [, count]) => sum + count, 0);
  const distribution = Object.fromEntries(answers.map(([k, v]) => [String(k), v]));
  const components: Record<string, unknown> = { respondents, distribution };
  if (respondents === 0) return { value: null, reason: 'no respondents', n: 0, components };
  const count = (test: (score: number) => boolean) => answers.filter(([s]) => test(s)).reduce((sum, [, c]) => sum + c, 0);
  const method = kpi.settings.method as 'nps' | 'top_box' | 'mean';
  if (method === 'nps') {
    const promoters = count((s) => s >= 9);
    const detractors = count((s) => s <= 6);
    Object.assign(components, { promoters, passives: respondents - promoters - detractors, detractors });
    return { value: (100 * (promoters - detractors)) / respondents, n: respondents, components };
  }
  if (method === 'top_box') {
    const { max } = kpi.settings.scale as { max: number };
    const top = count((s) => s >= max - (kpi.settings.top as number) + 1);
    components.top_box = top;
    return { value: (100 * top) / respondents, n: respondents, components };
  }
  const total = answers.reduce((sum, [s, c]) => sum + s * c, 0);
  return { value: total / respondents, n: respondents, components };
}

export function indexValue(read: Read, entity: EntityWords): Value {
  const population = read('population');
  const mean = (c: string) => (population === 0 ? null : read(c) / population);
  const components = { population, breadth: mean('sum_breadth'), depth: mean('sum_depth'), consistency: mean('sum_consistency') };
  return divide(read('sum_cei'), population, population, components, `no ${entity.many} in the population`);
}

export function attainmentValue(read: Read): Value {
  const goals = read('goals');
  const onPace = read('on_pace');
  const components = { goals, on_pace: onPace, on_pace_share: goals === 0 ? null : onPace / goals, elapsed: goals === 0 ? null : read('sum_elapsed') / goals, new_goals: read('new_goals') };
  return divide(read('sum_attainment'), goals, goals, components, 'no goals active in the period');
}

export function reengagementValue(read: Read, entity: EntityWords): Value {
  const lapsed = read('lapsed');
  const reengaged = read('reengaged');
  return divide(reengaged, lapsed, lapsed, { lapsed, reengaged }, `no lapsed ${entity.many}`);
}

export function capValue(read: Read, entity: EntityWords): Value {
  const reached = read('reached');
  const over = read('over_contacted');
  return divide(over, reached, reached, { reached, over_contacted: over }, `no reached ${entity.many}`);
}

export function stageValue(read: Read, kpi: PlannedKpi, entity: EntityWords): Value {
  const stages = kpi.settings.stages as string[];
  const population = read('population');
  const counts = Object.fromEntries(stages.map((s) => [s, read(`at_${s}`)]));
  const none = population - Object.values(counts).reduce((a, b) => a + b, 0);
  const movedUp = read('moved_up');
  const components = { population, counts: { none, ...counts }, moved_up: movedUp, moved_up_share: population === 0 ? null : movedUp / population };
  if (population === 0) return { value: null, reason: `no ${entity.many} in the population`, n: 0, components };
  return { value: Object.fromEntries([['none', none], ...Object.entries(counts)].map(([s, c]) => [s, (c as number) / population])), n: population, components };
}

export function funnelValue(read: Read, kpi: PlannedKpi): Value {
  const names = kpi.settings.steps as string[];
  const counts = names.map((_n, i) => read(`step_${i}`));
  const steps = names.map((name, i) => ({
    name, count: counts[i]!, ...(i > 0 ? { drop_off: counts[i - 1] === 0 ? null : 1 - counts[i]! / counts[i - 1]! } : {}),
  }));
  return divide(counts.at(-1)!, counts[0]!, counts[0]!, { steps }, `no ${names[0]} in the period`);
}
