import type { KpiModel } from '../model/kpi.js';

/**
 * The step a suggested target is rounded to, from the KPI's unit and the scale of its values
 * (the largest in the window, as `scale`), so a target reads like one a person wrote
 * (0.21, not 0.2143):
 * - percent (a fraction): 1 pp (0.01) from 10% up, 0.5 pp (0.005) from 1%, else 0.1 pp (0.001);
 * - every other unit (score, ratio, count, currency): two significant figures
 *   (68.3 → 68, 4.94 → 4.9, 2.04 → 2.0, 1234 → 1200).
 * A series of zeros has nothing to round.
 */
export function stepFor(unit: KpiModel['unit'], scale: number): number {
  const size = Math.abs(scale);
  if (size === 0) return 0;
  if (unit === 'percent') return size >= 0.1 ? 0.01 : size >= 0.01 ? 0.005 : 0.001;
  return 10 ** (Math.floor(Math.log10(size)) - 1);
}

/** The decimals a step needs (0.005 → 3, 0.1 → 1, 100 → 0), to print without float residue. */
function decimalsOf(step: number): number {
  let decimals = 0;
  while (decimals < 12 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-9) decimals += 1;
  return decimals;
}

/** `value` to the nearest multiple of `step` (halves away from zero), as 0.45 and not 0.45000000000000007. */
export function roundTo(value: number, step: number): number {
  if (step === 0) return value;
  const multiples = Math.sign(value) * Math.round(Math.abs(value) / step);
  return Number((multiples * step).toFixed(decimalsOf(step))) + 0;
}
