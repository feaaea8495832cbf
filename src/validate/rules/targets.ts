import { kindFacts, type Bounds } from '../../model/kinds.js';
import type { Loaded } from '../files.js';
import type { ValuePath } from '../../source/locate.js';
import type { KpiSpec } from '../../spec/kpi.js';
import type { TargetValue } from '../../spec/target.js';
import { targetBlocks } from '../../spec/target-blocks.js';
import type { Rule, RuleContext } from '../rule.js';

/** The range of values a KPI can take, from its measure kind (`model/kinds.ts`) or else its unit; undefined when unbounded. */
export function valueBounds(kpi: KpiSpec): Bounds | undefined {
  const byKind = kindFacts(kpi.measure.kind).bounds?.(kpi.measure);
  if (byKind) return byKind;
  if (kpi.unit === 'percent') return { min: 0, max: 1, text: 'a fraction between 0 and 1 (0.25 = 25%)' };
  if (kpi.unit === 'count' || kpi.unit === 'currency') return { min: 0, max: Infinity, text: 'zero or more' };
  return undefined;
}

/** The categories a share KPI splits touches into. */
function shareCategories(kpi: KpiSpec, channels: string[]): string[] {
  if (kpi.measure.kind !== 'share') return [];
  if (kpi.measure.by === 'modality') return ['in_person', 'virtual', 'digital_self_service'];
  if (kpi.measure.by === 'direction') return ['push', 'pull'];
  return channels;
}

function checkMix(ctx: RuleContext, { file, spec }: Loaded<KpiSpec>, value: Record<string, number>, path: ValuePath, channels: string[]) {
  const categories = shareCategories(spec, channels);
  const by = spec.measure.kind === 'share' ? spec.measure.by : '';
  const unknown = Object.keys(value).filter((k) => !categories.includes(k));
  for (const key of unknown) {
    ctx.report('kpi/mix-unknown-category', { name: key, by, categories }, { file, path: [...path, key], target: 'key' });
  }
  const missing = categories.filter((c) => !(c in value));
  // A misspelt category is one mistake: it is not also reported as a missing one.
  if (missing.length > 0 && unknown.length === 0) ctx.report('kpi/mix-missing-share', { missing, by }, { file, path, target: 'value' });
  const sum = Object.values(value).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6) ctx.report('kpi/mix-sum', { sum }, { file, path });
}

function checkValue(ctx: RuleContext, kpi: Loaded<KpiSpec>, value: TargetValue, path: ValuePath, channels: string[]) {
  const { file, spec } = kpi;
  const isMix = typeof value === 'object';
  if (spec.measure.kind === 'share') {
    if (!isMix) return ctx.report('kpi/share-target-not-mix', {}, { file, path });
    return checkMix(ctx, kpi, value, path, channels);
  }
  if (isMix) return ctx.report('kpi/mix-not-share', {}, { file, path });
  const bounds = valueBounds(spec);
  if (bounds && (value < bounds.min || value > bounds.max)) ctx.report('kpi/target-unit', { value, unit: spec.unit, bound: bounds.text }, { file, path });
}

const grainOf = (period: string) => (period.includes('W') ? 'week' : period.includes('Q') ? 'quarter' : 'month');

/** A target is either fixed or relative; a fall cannot exceed 100%; a schedule uses one kind of period. */
function checkConflicts(ctx: RuleContext, { file, spec }: Loaded<KpiSpec>) {
  const target = spec.target!;
  if (target.relative && (target.value !== undefined || target.schedule)) {
    ctx.report('kpi/target-fixed-and-relative', {}, { file, path: ['target', 'relative'], target: 'key' });
  }
  if (target.relative?.to === 'last_year' && target.relative.change < -1) {
    ctx.report('kpi/target-fall', { change: target.relative.change }, { file, path: ['target', 'relative', 'change'] });
  }
  const grains = [...new Set(Object.keys(target.schedule ?? {}).map(grainOf))];
  if (grains.length > 1) {
    ctx.report('kpi/schedule-grains', { grains }, { file, path: ['target', 'schedule'], target: 'key' });
  }
}

/** Targets fit the KPI's unit and scale, share KPIs get a mix that adds up to 1, and relative targets point the way the KPI improves. */
export const targets: Rule = {
  name: 'targets',
  check(ctx) {
    const channels = ctx.files.channels.map((c) => c.spec.id);
    for (const kpi of ctx.files.kpis) {
      const target = kpi.spec.target;
      if (!target) continue;
      for (const block of targetBlocks(target)) {
        if (block.value !== undefined) checkValue(ctx, kpi, block.value, [...block.path, 'value'], channels);
        block.overrides.forEach((o, i) => checkValue(ctx, kpi, o.value, [...block.path, 'overrides', i, 'value'], channels));
      }
      for (const [period, value] of Object.entries(target.schedule ?? {})) checkValue(ctx, kpi, value, ['target', 'schedule', period], channels);
      checkConflicts(ctx, kpi);
      const relative = target.relative;
      if (relative?.to === 'last_year' && relative.change !== 0 && (relative.change > 0) !== (kpi.spec.direction === 'higher')) {
        ctx.report('kpi/target-direction', { change: relative.change, direction: kpi.spec.direction }, { file: kpi.file, path: ['target', 'relative', 'change'] });
      }
    }
  },
};
