import type { PlannedOf } from '../../compile/plan.js';
import type { Value } from '../values.js';
import type { Components } from './reader.js';

/**
 * Answers as the engine returns them → answer → count: DuckDB's histogram (a map, or a list
 * of key/value entries), or the plain list of answers other engines return.
 */
function histogram(raw: unknown): Record<string, number> {
  if (Array.isArray(raw) && raw.every((e) => typeof e === 'number')) {
    const counts: Record<string, number> = {};
    for (const answer of raw) counts[String(answer)] = (counts[String(answer)] ?? 0) + 1;
    return counts;
  }
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((e: { key: unknown; value: unknown }) => [String(e.key), Number(e.value)]));
  return raw && typeof raw === 'object' ? Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)])) : {};
}

/** NPS, top-box share or mean from the answer distribution. */
export function scoreValue(c: Components<PlannedOf<'score'>>): Value {
  const { settings } = c.kpi;
  const answers = Object.entries(histogram(c.raw('distribution'))).map(([k, v]) => [Number(k), v] as const).sort((a, b) => a[0] - b[0]);
  const respondents = answers.reduce((sum, [, count]) => sum + count, 0);
  const distribution = Object.fromEntries(answers.map(([k, v]) => [String(k), v]));
  const components: Record<string, unknown> = { respondents, distribution };
  if (respondents === 0) return { value: null, reason: 'no respondents', n: 0, components };
  const count = (test: (score: number) => boolean) => answers.filter(([s]) => test(s)).reduce((sum, [, n]) => sum + n, 0);
  if (settings.method === 'nps') {
    const promoters = count((s) => s >= 9);
    const detractors = count((s) => s <= 6);
    Object.assign(components, { promoters, passives: respondents - promoters - detractors, detractors });
    return { value: (100 * (promoters - detractors)) / respondents, n: respondents, components };
  }
  if (settings.method === 'top_box') {
    // The rules make a top-box KPI declare its scale and `top`; without them there is no box to count.
    if (!settings.scale || settings.top === undefined) return { value: null, reason: 'no answer scale for the top box', n: respondents, components };
    const top = count((s) => s >= settings.scale!.max - settings.top! + 1);
    components.top_box = top;
    return { value: (100 * top) / respondents, n: respondents, components };
  }
  const total = answers.reduce((sum, [s, n]) => sum + s * n, 0);
  return { value: total / respondents, n: respondents, components };
}
