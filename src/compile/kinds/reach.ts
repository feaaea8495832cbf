import type { MeasureOf } from '../../model/measure.js';
import { populationComponent, scanComponent, type KindContext, type KindOutput } from '../context.js';

/** Reach: HCPs with an engagement event in the period (matching `where`), over the HCPs of the population. */
export function reach(ctx: KindContext, m: MeasureOf<'reach'>): KindOutput<'reach'> {
  return {
    components: {
      reached: scanComponent(ctx, m.source, 'reached', {
        fn: 'entities', engaged: true, ...(m.where ? { where: m.where } : {}), ...(m.population ? { population: m.population } : {}),
      }),
      population: populationComponent(ctx, m.population),
    },
    settings: {},
  };
}
