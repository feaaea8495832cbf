import type { Loaded } from '../../model/project.js';
import type { ValuePath } from '../../source/locate.js';
import type { KpiSpec } from '../../spec/kpi.js';
import type { TargetValue } from '../../spec/target.js';
import type { Rule, RuleContext } from '../rule.js';

/** The range of values a KPI can take, from its unit and measure; undefined when unbounded. */
function valueBounds(kpi: KpiSpec): { min: number; max: number; text: string } | undefined {
  const m = kpi.measure;
  if (m.kind === 'score' && m.method === 'nps') return { min: -100, max: 100, text: 'between -100 and 100 (an NPS)' };
  if (m.kind === 'score' && m.method === 'top_box') return { min: 0, max: 100, text: 'between 0 and 100 (a top-box share ×100)' };
  if (m.kind === 'index') return { min: 0, max: 100, text: 'between 0 and 100 (an index)' };
  if (m.kind === 'growth') return { min: -1, max: Infinity, text: 'a change of -1 (−100%) or more' };
  if (kpi.unit === 'percent') return { min: 0, max: 1, text: 'a fraction between 0 and 1 (0.25 = 25%)' };
  if (kpi.unit === 'count' || kpi.unit === 'currency') return { min: 0, max: Infinity, text: 'zero or more' };
  return undefined;
}

function checkValue(ctx: RuleContext, { file, spec }: Loaded<KpiSpec>, value: TargetValue, path: ValuePath) {
  const isMix = typeof value === 'object';
  if (spec.measure.kind === 'share') {
    if (!isMix) return ctx.report('kpi/target-mix', { detail: 'A share KPI\'s target is a mix: the target share of each category, e.g. `{in_person: 0.34, virtual: 0.33, digital_self_service: 0.33}`.' }, { file, path });
    const sum = Object.values(value).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-6) ctx.report('kpi/target-mix', { detail: `The target mix adds up to ${Math.round(sum * 1e6) / 1e6}; the shares must add up to 1.` }, { file, path });
    return;
  }
  if (isMix) return ctx.report('kpi/target-mix', { detail: 'Only share KPIs take a mix as target; give a single number.' }, { file, path });
  const bounds = valueBounds(spec);
  if (bounds && (value < bounds.min || value > bounds.max)) ctx.report('kpi/target-unit', { value, unit: spec.unit, bound: bounds.text }, { file, path });
}

/** Targets fit the KPI's unit and scale, share KPIs get a mix that adds up to 1, and relative targets point the way the KPI improves. */
export const targets: Rule = {
  name: 'targets',
  check(ctx) {
    for (const kpi of ctx.files.kpis) {
      const target = kpi.spec.target;
      if (!target) continue;
      if (target.value !== undefined) checkValue(ctx, kpi, target.value, ['target', 'value']);
      (target.overrides ?? []).forEach((o, i) => checkValue(ctx, kpi, o.value, ['target', 'overrides', i, 'value']));
      for (const [period, value] of Object.entries(target.schedule ?? {})) checkValue(ctx, kpi, value, ['target', 'schedule', period]);
      const relative = target.relative;
      if (relative?.to === 'last_year' && relative.change !== 0 && (relative.change > 0) !== (kpi.spec.direction === 'higher')) {
        ctx.report('kpi/target-direction', { change: relative.change, direction: kpi.spec.direction }, { file: kpi.file, path: ['target', 'relative', 'change'] });
      }
    }
  },
};
