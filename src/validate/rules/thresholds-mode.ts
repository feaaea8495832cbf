import type { Loaded } from '../../model/project.js';
import type { KpiSpec } from '../../spec/kpi.js';
import { targetBlocks } from '../../spec/target.js';
import type { ValuePath } from '../../source/locate.js';
import type { Rule, RuleContext } from '../rule.js';

const report = (ctx: RuleContext, { file }: Loaded<KpiSpec>, detail: string, key: string) =>
  ctx.report('kpi/thresholds-mode', { detail }, { file, path: ['thresholds', key], target: key === 'mode' ? 'key' : 'value' });

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
        if (mode !== 'absolute') report(ctx, kpi, 'A share KPI is judged by its distance from the target mix: give absolute bands, e.g. `thresholds: {mode: absolute, green: 0.05, amber: 0.1}`.', own ? at : 'green');
        continue;
      }
      if (mode === 'ratio') {
        const [first, ...others] = nonPositive(spec);
        if (!spec.target) {
          if (own) report(ctx, kpi, 'Ratio bands are fractions of the target, but this KPI has no target: add one, or use `mode: absolute`.', at);
        } else if (first && own) {
          report(ctx, kpi, `Ratio bands are fractions of the target, and ${first.value} leaves nothing to take a fraction of: use \`mode: absolute\`.`, at);
        } else if (first) {
          // Each target that cannot work is its own mistake, at its own line (a grain's, an override's).
          for (const { value, path } of [first, ...others]) ctx.report('kpi/thresholds-mode', { detail: `The project's default bands are fractions of the target, which cannot work with a target of ${value}: give this KPI absolute \`thresholds\`.` }, { file: kpi.file, path });
        }
        if (own && (own.green <= 0 || own.amber <= 0)) report(ctx, kpi, 'Ratio bands are fractions of the target and must be above 0 (0.9 = 90% of target).', 'green');
      } else if (own && spec.unit === 'percent' && [own.green, own.amber].some((b) => b < 0 || b > 1)) {
        report(ctx, kpi, 'Percent KPIs are fractions (0.25 = 25%), so absolute bands must be between 0 and 1.', 'green');
      }
    }
  },
};
