#!/usr/bin/env node
// Targets from a team's own history: for each KPI, the 60th percentile of the values of the
// periods before the one a scorecard shows (the 40th for lower-is-better KPIs), for the
// all-brands figure and for each brand, rounded to a step that suits the unit.
//
//   kpiops eval --snapshot <dir> --out month.json                  # the month the cards show
//   kpiops eval --snapshot <dir> --period 2026-W43 --out week.json # for week targets
//   kpiops eval --snapshot <dir> --period 2026-Q3 --out quarter.json
//   node docs/recipes/targets-from-history.mjs month.json week.json quarter.json
//
// It prints, per KPI and grain, the figures to write under `target:` (`value` for the
// all-brands figure, one override per brand). Edit RULES for your own KPIs and steps; see
// docs/README.md ("Setting targets from history").
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * How each KPI's target is set. `step`: the rounding, in the KPI's unit. `window`: how many
 * periods before the one shown (default 12 months, 12 weeks, 4 quarters).
 * `quarterEnds`: goals run by quarter, so only the values at a quarter's end count (what
 * was reached by the end of a planning period). `grains`: the grains the KPI's target is
 * set for (month is the KPI's own; week and quarter go under `target.grains`). `absolute`:
 * the KPI is judged by absolute bands, so only the all-brands figure is used, as the green
 * band, with amber `below` under it.
 */
export const RULES = {
  reach: { step: 0.01, grains: ['month', 'week', 'quarter'] },
  frequency: { step: 0.1, grains: ['month', 'week'] },
  multichannel_rate: { step: 0.01, grains: ['month', 'week', 'quarter'] },
  sample_request_rate: { step: 0.01, grains: ['month', 'week'] },
  email_open_rate: { step: 0.01 },
  email_ctr: { step: 0.005 },
  email_ctor: { step: 0.01 },
  webinar_attendance_rate: { step: 0.01 },
  content_download_rate: { step: 0.01 },
  content_utilization: { step: 0.01 },
  cross_channel_conversion: { step: 0.01 },
  reengagement_rate: { step: 0.01, grains: ['month', 'quarter'] },
  cei: { step: 1 },
  goal_attainment: { step: 0.01, quarterEnds: true },
  intent_to_prescribe: { step: 0.1 },
  ces: { step: 0.1 },
  csat: { step: 1 },
  trx_share: { step: 0.001 },
  // Next-best-action suggestions carry no brand: one all-brands target each.
  suggestion_action_rate: { step: 0.01 },
  suggestion_dismiss_rate: { step: 0.01 },
  suggestion_time_to_action: { step: 0.1 },
  nba_engagement_lift: { step: 0.01 },
  // Scores that can be negative are judged by absolute bands, and bands are one per KPI:
  // these take the all-brands figure only, as the green band (amber `below` under it).
  nps: { step: 1, absolute: { below: 10 } },
  nps_gap_to_leader: { step: 1, absolute: { below: 10 } },
  nrx_growth: { step: 0.005, absolute: { below: 0.005 } },
};

const WINDOW = { month: 12, week: 12, quarter: 4 };

/** The p-th percentile, interpolated linearly between the two nearest values (DuckDB's quantile_cont, numpy's default). */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const at = (p / 100) * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

/** Rounded to the nearest multiple of the step, without float residue (0.45, not 0.45000000000000007). */
export function roundTo(value, step) {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (String(step).includes('5') ? 1 : 0));
  return Number((Math.round(value / step) * step).toFixed(decimals));
}

const quarterEnd = (period) => /-(03|06|09|12)$/.test(period);

/** The values of the `window` periods before the one shown, oldest first (hidden and missing ones left out). */
export function history(slice, shown, window, quarterEnds = false) {
  const before = slice.trend.filter((t) => t.period < shown).slice(-window);
  return before.filter((t) => typeof t.value === 'number' && (!quarterEnds || quarterEnd(t.period))).map((t) => t.value);
}

/**
 * The target of each slice of one KPI at one grain: `value` from the all-brands figure,
 * `brands` from each brand's own. Undefined when the results do not hold the KPI.
 */
export function targetsFrom(results, id, rule = RULES[id]) {
  const kpi = results.kpis.find((k) => k.id === id);
  if (!kpi || !rule) return undefined;
  const grain = /W/.test(kpi.period.label) ? 'week' : /Q/.test(kpi.period.label) ? 'quarter' : 'month';
  const p = kpi.direction === 'lower' ? 40 : 60;
  const of = (slice) => {
    const values = history(slice, kpi.period.label, rule.window ?? WINDOW[grain], rule.quarterEnds);
    const q = percentile(values, p);
    return q === null ? null : roundTo(q, rule.step);
  };
  const total = kpi.slices.find((s) => Object.keys(s.dims).length === 0);
  const brands = kpi.slices.filter((s) => Object.keys(s.dims).length === 1 && 'brand' in s.dims);
  return {
    grain, percentile: p, shown: kpi.period.label,
    value: total ? of(total) : null,
    brands: Object.fromEntries(brands.map((s) => [s.dims.brand, of(s)])),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
  if (files.length === 0) {
    console.error('usage: node docs/recipes/targets-from-history.mjs <results.json> [more results.json, one per grain]');
    process.exit(2);
  }
  for (const id of Object.keys(RULES)) {
    for (const results of files) {
      const t = targetsFrom(results, id);
      if (!t || !(RULES[id].grains ?? ['month']).includes(t.grain)) continue;
      const absolute = RULES[id].absolute;
      const brands = Object.entries(t.brands).map(([b, v]) => `${b} ${v}`).join(', ');
      const figures = absolute ? `thresholds green ${t.value}, amber ${roundTo(t.value - absolute.below, RULES[id].step)}` : `value ${t.value}; ${brands}`;
      console.log(`${id} ${t.grain} (p${t.percentile} of the periods before ${t.shown}): ${figures}`);
    }
  }
}
