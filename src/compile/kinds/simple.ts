import { scoreScale } from '../../model/catalog.js';
import { shift, yearBefore, type Period } from '../../model/period.js';
import type { MeasureSpec } from '../../spec/measure.js';
import { periodRef } from '../period-ref.js';
import { populationComponent, scanComponent, type KindContext, type KindOutput } from '../context.js';
import { provisionalPeriods } from '../followed.js';
import { aggregateComponent, denominatorScope, supportComponent } from './aggregate.js';

type Of<K extends MeasureSpec['kind']> = Extract<MeasureSpec, { kind: K }>;

export function reach(ctx: KindContext, m: Of<'reach'>): KindOutput {
  return {
    components: {
      reached: scanComponent(ctx, m.source, 'reached', {
        fn: 'entities', engaged: true, ...(m.where ? { where: m.where } : {}), ...(m.population ? { population: m.population } : {}),
      }),
      population: populationComponent(ctx, m.population),
    },
  };
}

export function ratio(ctx: KindContext, m: Of<'ratio'>): KindOutput {
  const support = supportComponent(ctx, 'support', m.denominator);
  return {
    components: {
      numerator: aggregateComponent(ctx, 'numerator', m.numerator, ctx.periods, denominatorScope(ctx, m.numerator, m.denominator)),
      denominator: aggregateComponent(ctx, 'denominator', m.denominator),
      ...(support ? { support } : {}),
    },
    provisional: provisionalPeriods(ctx.periods, [m.numerator, m.denominator], ctx.asOf),
  };
}

export function growth(ctx: KindContext, m: Of<'growth'>): KindOutput {
  const compare = m.compare ?? 'last_year';
  const before = (p: Period) => (compare === 'last_year' ? yearBefore(p, ctx.model.calendar) : shift(p, 1, ctx.model.calendar));
  const periods = [...ctx.periods.map(before), ...ctx.periods];
  // Support is reported for the trend's periods only, so it is read over the trend's window.
  const support = supportComponent(ctx, 'support', m.of);
  return {
    components: { value: aggregateComponent(ctx, 'value', m.of, periods), ...(support ? { support } : {}) },
    settings: { compare, comparison: Object.fromEntries(ctx.periods.map((p) => [p.label, periodRef(before(p))])) },
  };
}

export function share(ctx: KindContext, m: Of<'share'>): KindOutput {
  const where = m.where ? { where: m.where } : {};
  const categories = new Map<string, string[]>();
  for (const c of ctx.model.channels) {
    const key = m.by === 'modality' ? c.modality : m.by === 'direction' ? c.direction : c.id;
    categories.set(key, [...(categories.get(key) ?? []), c.id]);
  }
  const components = Object.fromEntries([...categories].map(([key, ids]) => [
    `touches_${key}`, scanComponent(ctx, m.source, `touches_${key}`, { fn: 'touches', engaged: true, channels: ids, ...where }),
  ]));
  return { components, settings: { categories: [...categories.keys()].sort() } };
}

export function score(ctx: KindContext, m: Of<'score'>): KindOutput {
  const scale = scoreScale(ctx.model.project, m.source, m.column, m.where);
  return {
    components: { distribution: scanComponent(ctx, m.source, 'distribution', { fn: 'histogram', value: m.column, ...(m.where ? { where: m.where } : {}) }) },
    settings: { method: m.method, ...(m.top ? { top: m.top } : {}), ...(scale ? { scale } : {}) },
  };
}
