import { scoreScale } from '../../model/catalog.js';
import type { MeasureOf } from '../../model/measure.js';
import { scanComponent, type KindContext, type KindOutput } from '../context.js';

/** Score: the distribution of answers; the evaluator turns it into an NPS, a top-box share or a mean. */
export function score(ctx: KindContext, m: MeasureOf<'score'>): KindOutput<'score'> {
  const scale = scoreScale(ctx.model, m.source, m.column, m.where);
  return {
    components: { distribution: scanComponent(ctx, m.source, 'distribution', { fn: 'histogram', value: m.column, ...(m.where ? { where: m.where } : {}) }) },
    settings: { method: m.method, ...(m.top ? { top: m.top } : {}), ...(scale ? { scale } : {}) },
  };
}
