import type { KpiModel } from '../model/kpi.js';
import { formatValue, scaleDigits } from '../scorecard/format.js';
import { terminalText } from '../text/terminal.js';
import type { ByDimension, Explanation } from './explain.js';

type Unit = KpiModel['unit'];

/** A change in the KPI's unit, signed; percent changes in percentage points (a share's change is not a percent of it). */
function signed(x: number | null, unit: Unit, digits: number | undefined): string {
  if (x === null) return '—';
  // Effects are smaller than values: one decimal more than the value shows.
  const text = formatValue(Math.abs(x), unit, digits, 1);
  const shown = unit === 'percent' ? text.replace(/%$/, ' pp') : text;
  return /[1-9]/.test(shown) ? `${x < 0 ? '−' : '+'}${shown}` : shown;
}

/** Columns padded to their widest cell; the first left-aligned, the rest right-aligned. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_c, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd());
}

function section(by: ByDimension, kpi: KpiModel, digits: number | undefined): string[] {
  const f = (x: number | null) => signed(x, kpi.unit, digits);
  const name = (slice: string | null) => (slice === null ? '(missing)' : terminalText(slice));
  const title = by.dimension === 'parts' ? `By part of the formula${by.method ? ` (${by.method})` : ''}` : `By ${terminalText(by.dimension)}`;
  if (by.contributions.length === 0) return [`${title}: not decomposed — ${terminalText(by.reason ?? 'no slices')}`];
  if (by.dimension === 'parts') return [title, ...table([['part', 'change'], ...by.contributions.map((c) => [name(c.slice), f(c.total)])])];
  if (!by.additive) {
    return [
      `${title}: the slices do not add up (${terminalText(by.reason ?? '')}); each slice's own change, and ${f(by.residual)} that they do not explain`,
      ...table([['slice', 'own change'], ...by.contributions.map((c) => [name(c.slice), f(c.total)])]),
    ];
  }
  return [
    `${title} (rate + mix + interaction = each slice's part of the change)`,
    ...table([['slice', 'rate', 'mix', 'interaction', 'total'], ...by.contributions.map((c) => [name(c.slice), f(c.rate_effect), f(c.mix_effect), f(c.interaction), f(c.total)])]),
  ];
}

/** `kpiops explain` as text: the change, then one short table per split, largest contributions first. */
export function formatExplanation(e: Explanation, kpi: KpiModel): string {
  const digits = kpi.unit === 'score' ? scaleDigits([e.value, e.previous]) : undefined;
  const head = `${terminalText(kpi.name)} (${terminalText(e.kpi)}): ${formatValue(e.previous, kpi.unit, digits, 1)} in ${e.compared_to} → ${formatValue(e.value, kpi.unit, digits, 1)} in ${e.period}, ${signed(e.change, kpi.unit, digits)}`;
  // Dimensions not decomposed for one reason (a formula KPI's every dimension) are said once.
  const undecomposed = e.by.filter((b) => b.contributions.length === 0 && b.dimension !== 'parts');
  const reasons = new Set(undecomposed.map((b) => b.reason));
  const once = undecomposed.length > 1 && reasons.size === 1
    ? [['', `By ${undecomposed.map((b) => terminalText(b.dimension)).join(', ')}: not decomposed — ${terminalText([...reasons][0] ?? '')}`]]
    : undecomposed.map((b) => ['', ...section(b, kpi, digits)]);
  const shown = e.by.filter((b) => !undecomposed.includes(b)).map((b) => ['', ...section(b, kpi, digits)]);
  return `${[head, ...shown.flat(), ...once.flat()].join('\n')}\n`;
}
