import type { MeasureOf } from '../../model/measure.js';
import { shift, yearBefore, type EvalPeriod } from '../../model/period.js';
import type { KindContext, KindOutput } from '../context.js';
import { periodRef } from '../period-ref.js';
import { aggregateComponent, supportComponent } from './aggregate.js';

/** Growth: the count or sum of each period and of the period it is compared with (a year or one period before). */
export function growth(ctx: KindContext, m: MeasureOf<'growth'>): KindOutput<'growth'> {
  const before = (p: EvalPeriod) => (m.compare === 'last_year' ? yearBefore(p, ctx.model.calendar) : shift(p, 1, ctx.model.calendar));
  const periods = [...ctx.periods.map(before), ...ctx.periods];
  // Support is reported for the trend's periods only, so it is read over the trend's window.
  const support = supportComponent(ctx, 'support', m.of);
  return {
    components: { value: aggregateComponent(ctx, 'value', m.of, periods), ...(support ? { support } : {}) },
    settings: { compare: m.compare, comparison: Object.fromEntries(ctx.periods.map((p) => [p.label, periodRef(before(p))])) },
  };
}
