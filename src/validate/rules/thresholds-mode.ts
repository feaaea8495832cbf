import type { Code, ParamsOf } from '../../diagnostics/codes.js';
import type { Loaded } from '../files.js';
import type { KpiSpec } from '../../spec/kpi.js';
import { targetBlocks } from '../../spec/target-blocks.js';
import type { ValuePath } from '../../source/locate.js';
import type { Rule, RuleContext } from '../rule.js';

const report = <C extends Code>(ctx: RuleContext, { file }: Loaded<KpiSpec>, code: C, params: ParamsOf<C>, key: string) =>
  ctx.report(code, params, { file, path: ['thresholds', key], target: key === 'mode' ? 'key' : 'value' });

/** Every number the target holds that is zero or less (the value, overrides, each grain's), with its path. */
function nonPositive(spec: KpiSpec): { value: number; path: ValuePath }[] {
  return targetBlocks(spec.target).flatMap((b) => [
    ...(typeof b.value === 'number' && b.value <= 0 ? [{ value: b.value, path: [...b.path, 'value'] }] : []),
    ...b.overrides.flatMap((o, i) => (typeof o.value === 'number' && o.value <= 0 ? [{ value: o.value, path: [...b.path, 'overrides', i, 'value'] }] : [])),
  ]);
}

/**
 * Bands that can work: ratio bands are positive fractions of a positive target; share KPIs
 * (a distance from the target mix) use absolute bands; percent KPIs' absolute bands are
 * fractions. The project's default bands are ratio bands, so a KPI relying on them needs a
 * positive target too.
 */
export const thresholdsMode: Rule = {
  name: 'thresholds-mode',
  check(ctx) {
    for (const kpi of ctx.files.kpis) {
      const { spec } = kpi;
      const own = spec.thresholds;
      const bands = own ?? ctx.project.thresholds;
      if (!bands) continue;
      const mode = bands.mode ?? 'ratio';
      const at = own ? 'mode' : 'green';
      if (spec.measure.kind === 'share') {
        if (mode !== 'absolute') report(ctx, kpi, 'kpi/thresholds-share', {}, own ? at : 'green');
        continue;
      }
      if (mode === 'ratio') {
        const [first, ...others] = nonPositive(spec);
        if (!spec.target) {
          if (own) report(ctx, kpi, 'kpi/thresholds-no-target', {}, at);
        } else if (first && own) {
          report(ctx, kpi, 'kpi/thresholds-target', { value: first.value }, at);
        } else if (first) {
          // Each target that cannot work is its own mistake, at its own line (a grain's, an override's).
          for (const { value, path } of [first, ...others]) ctx.report('kpi/thresholds-default-target', { value }, { file: kpi.file, path });
        }
        if (own && (own.green <= 0 || own.amber <= 0)) report(ctx, kpi, 'kpi/thresholds-ratio', {}, 'green');
      } else if (own && spec.unit === 'percent' && [own.green, own.amber].some((b) => b < 0 || b > 1)) {
        report(ctx, kpi, 'kpi/thresholds-percent', {}, 'green');
      }
    }
  },
};
