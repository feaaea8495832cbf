import type { MeasureOf } from '../../model/measure.js';
import { scanComponent, type KindContext, type KindOutput } from '../context.js';

/** Share: engaged touches per category of channel (modality, direction or the channel itself). */
export function share(ctx: KindContext, m: MeasureOf<'share'>): KindOutput<'share'> {
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
