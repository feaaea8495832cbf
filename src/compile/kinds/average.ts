import type { MeasureOf } from '../../model/measure.js';
import { populationComponent, scanComponent, type KindContext, type KindOutput } from '../context.js';

/**
 * Average per HCP: the column added up over the period's rows of the population's HCPs
 * (matching `where`), and the HCPs of the population; the evaluator divides, so an HCP of
 * the population without rows counts as 0.
 */
export function average(ctx: KindContext, m: MeasureOf<'average'>): KindOutput<'average'> {
  return {
    components: {
      total: scanComponent(ctx, m.source, 'total', {
        fn: 'sum', value: m.column, ...(m.where ? { where: m.where } : {}), ...(m.population ? { population: m.population } : {}),
      }),
      population: populationComponent(ctx, m.population),
    },
    settings: {},
  };
}
