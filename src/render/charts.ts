import { Resvg } from '@resvg/resvg-js';
import type { KpiRow } from '../scorecard/view.js';
import { formatDelta, formatValue } from '../scorecard/format.js';

/** A chart ready to attach: PNG bytes, its pixel size as shown, and alt text stating what it shows. */
export interface Chart {
  png: Buffer;
  width: number;
  height: number;
  alt: string;
}

// Charts are drawn at twice their display size so they stay sharp on high-density screens.
const SCALE = 2;
/**
 * One image for light and dark mail: a transparent background (the email's own background shows
 * through, whatever a client darkens it to) and mid-tone ink with at least 3:1 contrast against
 * white and against the #121212–#1e1e1e of dark mail (WCAG 1.4.11 for graphics). Clients that
 * invert the page leave images alone, so the same ink must read on both.
 */
export const CHART_COLORS = {
  line: '#3f7fd6',
  target: '#808080',
  detractors: '#e0483d',
  passives: '#808080',
  promoters: '#2e9e4f',
} as const;
const INK = CHART_COLORS.line;
const MUTED = CHART_COLORS.target;

const round = (x: number) => Math.round(x * 10) / 10;

function rasterize(svg: string): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: SCALE }, font: { loadSystemFonts: false } }).render().asPng();
}

/** The alt text of a trend: where it started and ended, the change and the extremes, in words. */
export function trendAlt(row: Pick<KpiRow, 'name' | 'unit' | 'trend' | 'digits'>): string {
  const points = row.trend.filter((t) => t.value !== null) as Array<{ period: string; value: number }>;
  if (points.length === 0) return `${row.name}: no values in the last ${row.trend.length} periods.`;
  const first = points[0]!;
  const last = points.at(-1)!;
  const fmt = (v: number) => formatValue(v, row.unit, row.digits);
  if (points.length === 1) return `${row.name}: ${fmt(last.value)} in ${last.period}, the only period with a shown value.`;
  const hi = points.reduce((a, b) => (b.value > a.value ? b : a));
  const lo = points.reduce((a, b) => (b.value < a.value ? b : a));
  const delta = formatDelta(first.value, last.value, row.unit, row.digits);
  const direction = last.value > first.value ? 'up' : 'down';
  // A change that rounds to nothing between shown values that differ (6.14 → 6.16 shown as 6.1 → 6.2) moved slightly.
  const move = !delta.startsWith('±') ? `${direction} ${delta.slice(1)}` : fmt(first.value) === fmt(last.value) ? 'unchanged' : `${direction} slightly`;
  const hidden = row.trend.length - points.length;
  return `${row.name} trend, ${first.period} to ${last.period}: ${fmt(first.value)} to ${fmt(last.value)}, ${move}; high ${fmt(hi.value)} (${hi.period}), low ${fmt(lo.value)} (${lo.period})${hidden > 0 ? `; ${hidden} period${hidden === 1 ? '' : 's'} without a shown value` : ''}.`;
}

/**
 * A sparkline of a trend: a line through the shown values (gaps where a value is missing
 * or hidden), the latest point marked, and the target as a dashed line when there is one.
 */
export function sparkline(row: Pick<KpiRow, 'name' | 'unit' | 'trend'> & { target?: { value: unknown } }, width = 96, height = 28): Chart | undefined {
  const values = row.trend.map((t) => t.value);
  const shown = values.filter((v): v is number => v !== null);
  if (shown.length < 2) return undefined;
  const target = typeof row.target?.value === 'number' ? row.target.value : undefined;
  const all = target !== undefined ? [...shown, target] : shown;
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi === lo) { hi += Math.abs(hi) * 0.1 || 1; lo -= Math.abs(lo) * 0.1 || 1; }
  const pad = 3;
  const x = (i: number) => pad + (i * (width - 2 * pad)) / Math.max(values.length - 1, 1);
  const y = (v: number) => pad + ((hi - v) * (height - 2 * pad)) / (hi - lo);
  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null) { if (current.length > 0) segments.push(current.join(' ')); current = []; return; }
    current.push(`${round(x(i))},${round(y(v))}`);
  });
  if (current.length > 0) segments.push(current.join(' '));
  const lastIndex = values.findLastIndex((v) => v !== null);
  const lastValue = values[lastIndex]!;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`
    + (target !== undefined ? `<line x1="${pad}" x2="${width - pad}" y1="${round(y(target))}" y2="${round(y(target))}" stroke="${MUTED}" stroke-width="1" stroke-dasharray="3 2"/>` : '')
    + segments.map((pts) => (pts.includes(' ') ? `<polyline points="${pts}" fill="none" stroke="${INK}" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>` : `<circle cx="${pts.split(',')[0]}" cy="${pts.split(',')[1]}" r="1" fill="${INK}"/>`)).join('')
    + `<circle cx="${round(x(lastIndex))}" cy="${round(y(lastValue))}" r="2.5" fill="${INK}"/>`
    + '</svg>';
  return { png: rasterize(svg), width, height, alt: trendAlt(row) };
}

/**
 * A stacked bar of detractors, passives and promoters (NPS). The parts are told apart by a
 * transparent gap between them as well as by colour; the text under the bar gives the numbers.
 */
export function npsBar(name: string, d: { promoters: number; passives: number; detractors: number; respondents: number }, width = 240, height = 16): Chart | undefined {
  const total = d.promoters + d.passives + d.detractors;
  if (total === 0) return undefined;
  const parts = [
    { n: d.detractors, fill: CHART_COLORS.detractors },
    { n: d.passives, fill: CHART_COLORS.passives },
    { n: d.promoters, fill: CHART_COLORS.promoters },
  ];
  const gap = 1;
  let at = 0;
  const rects = parts.map((p) => {
    const w = (p.n / total) * width;
    // The gap is taken from the part's right edge, so the bar keeps its width and proportions.
    const r = w > 0 ? `<rect x="${round(at)}" y="0" width="${round(Math.max(w - gap, 0.5))}" height="${height}" fill="${p.fill}"/>` : '';
    at += w;
    return r;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${rects}</svg>`;
  const pct = (n: number) => `${Math.round((n / total) * 100)}%`;
  return {
    png: rasterize(svg), width, height,
    alt: `${name} answers from ${d.respondents} respondents: ${pct(d.detractors)} detractors (0–6), ${pct(d.passives)} passives (7–8), ${pct(d.promoters)} promoters (9–10).`,
  };
}
