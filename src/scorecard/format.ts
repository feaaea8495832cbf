import { parseDuration } from '../model/duration.js';
import type { KpiModel } from '../model/kpi.js';

type Unit = KpiModel['unit'];

// Number formatters are costly to create (about 0.1 ms each) and cheap to reuse: one per digit count.
const formatters = new Map<number, Intl.NumberFormat>();
const formatter = (digits: number) => {
  let f = formatters.get(digits);
  if (!f) formatters.set(digits, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return f;
};

/** Thousands separators, fixed decimals, and a real minus sign. */
const grouped = (x: number, digits: number) => {
  const text = formatter(digits).format(Math.abs(x));
  return x < 0 && /[1-9]/.test(text) ? `−${text}` : text;
};

/** Digits that make a score readable: NPS-like scales (−100…100) as whole numbers, small scales with one or two decimals. */
export function scoreDigits(x: number): number {
  const a = Math.abs(x);
  return a >= 20 || a === 0 ? 0 : a >= 1 ? 1 : 2;
}

/**
 * The digits of a score KPI, from the largest of its values: every value of one KPI is shown
 * alike, so an NPS of 4.8 does not sit next to −33 (its scale is −100…100: 5 and −33), and
 * a mean on a 1–10 scale keeps its decimal (7.0, not 7).
 */
export function scaleDigits(values: Iterable<number>): number {
  let largest = 0;
  for (const v of values) if (Number.isFinite(v)) largest = Math.max(largest, Math.abs(v));
  return largest === 0 ? 1 : scoreDigits(largest);
}

/**
 * A value in its unit, as a reader sees it: 42.1%, 2.04, 1,234, 68. `digits`: a score KPI's
 * own (see scaleDigits); `extra`: decimals beyond the usual ones (see formatAgainst).
 */
export function formatValue(value: number, unit: Unit, digits?: number, extra = 0): string {
  if (!Number.isFinite(value)) return '—';
  switch (unit) {
    case 'percent': return `${grouped(value * 100, (Math.abs(value) >= 1 ? 0 : 1) + extra)}%`;
    case 'count': return grouped(value, (Number.isInteger(value) ? 0 : 1) + extra);
    case 'currency': return grouped(value, (Math.abs(value) >= 1000 ? 0 : 2) + extra);
    case 'ratio': return grouped(value, (Math.abs(value) >= 100 ? 0 : 2) + extra);
    case 'score': return grouped(value, (digits ?? scoreDigits(value)) + extra);
  }
}

/**
 * A value and its target, each in its unit, with as many more decimals (up to two) as it
 * takes for values that differ to read differently: −13.47 against a target of −13 is
 * "−13.5" and "−13.0", never "−13" and "−13" next to "near target".
 */
export function formatAgainst(value: number, target: number, unit: Unit, digits?: number): { value: string; target: string } {
  for (let extra = 0; ; extra++) {
    const shown = { value: formatValue(value, unit, digits, extra), target: formatValue(target, unit, digits, extra) };
    if (value === target || shown.value !== shown.target || extra === 2) return shown;
  }
}

/** A category share mix: "in person 45% · virtual 38% · digital self-service 17%". */
export function formatMix(value: Record<string, number>): string {
  return Object.entries(value).map(([k, v]) => `${label(k)} ${formatValue(v, 'percent')}`).join(' · ');
}

/** A change from one value to another: percentage points for percents, otherwise the difference and, for counts and money, the relative change. */
export function formatDelta(from: number, to: number, unit: Unit, digits?: number): string {
  const d = to - from;
  const a = Math.abs(d);
  const text = unit === 'percent' ? `${grouped(a * 100, 1)} pp`
    : (unit === 'count' || unit === 'currency') && from !== 0 ? `${grouped(Math.abs(d / from) * 100, 1)}%`
      // A score's change gets the decimals its values are shown with (67 → 68 is +1, not +0.70).
      : unit === 'score' ? grouped(a, digits ?? Math.min(scoreDigits(from), scoreDigits(to)))
        : formatValue(a, unit);
  // A change that rounds to nothing reads as no change, not as "−0.0".
  const sign = !/[1-9]/.test(text) ? '±' : d > 0 ? '+' : '−';
  return `${sign}${text}`;
}

/** snake_case ids as words: digital_self_service → digital self-service. */
export function label(id: string): string {
  return id === 'digital_self_service' ? 'digital self-service' : id.replaceAll('_', ' ');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A date (ISO string) as "1 Nov 2026", in UTC. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "2026-09" → "Sep", "2025-10" → "Oct ’25" (the year only when it is not the reported one). */
export function shortPeriod(label: string, withYear: boolean): string {
  const year = withYear ? ` ’${label.slice(2, 4)}` : '';
  const month = /^\d{4}-(\d{2})$/.exec(label);
  if (month) return `${MONTHS[Number(month[1]) - 1]}${year}`;
  return `${label.slice(5)}${year}`;
}

/** An ISO-8601 duration in words: P1M → "1 month", P90D → "90 days". */
export function lagWords(lag: string): string {
  const d = parseDuration(lag);
  if (!d) return lag;
  const units = [['year', d.years], ['month', d.months], ['week', d.weeks], ['day', d.days]] as const;
  const parts = units.filter(([, v]) => v > 0).map(([u, v]) => `${v} ${u}${v === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(' ') : '0 days';
}
