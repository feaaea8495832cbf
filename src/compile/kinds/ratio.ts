import type { MeasureOf } from '../../model/measure.js';
import type { KindContext, KindOutput } from '../context.js';
import { provisionalPeriods } from '../followed.js';
import { aggregateComponent, denominatorScope, supportComponent } from './aggregate.js';

/** Ratio: one count or sum over another; the support is the denominator, or the HCPs behind a summed one. */
export function ratio(ctx: KindContext, m: MeasureOf<'ratio'>): KindOutput<'ratio'> {
  const support = supportComponent(ctx, 'support', m.denominator);
  return {
    components: {
      numerator: aggregateComponent(ctx, 'numerator', m.numerator, ctx.periods, denominatorScope(ctx, m.numerator, m.denominator)),
      denominator: aggregateComponent(ctx, 'denominator', m.denominator),
      ...(support ? { support } : {}),
    },
    settings: {},
    provisional: provisionalPeriods(ctx.periods, [m.numerator, m.denominator], ctx.asOf),
  };
}
