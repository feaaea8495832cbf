import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateResults } from '../../src/pipeline/evaluate.js';
import { snapshotOf } from '../../src/pipeline/snapshot.js';
import { parsePeriod } from '../../src/model/period.js';
import type { KpiSpec } from '../../src/spec/kpi.js';
import { REPO, validateWith } from '../support/demo-project.js';
import { demoSnapshot, load, readManifest, removeTempDirs } from '../support/snapshots.js';

// Each demo KPI file says how its target was set (a percentile of the sample's own history).
// These tests recompute that rule from the demo snapshot, so a change to the sample generator
// or to the rule that leaves the targets or their comments untrue fails here.

interface Figures { grain: string; percentile: number; shown: string; value: number | null; brands: Record<string, number | null> }
interface Rule { step: number; grains?: string[]; quarterEnds?: boolean; absolute?: { below: number } }
interface Recipe {
  RULES: Record<string, Rule>;
  targetsFrom(results: unknown, id: string): Figures | undefined;
  percentile(values: number[], p: number): number | null;
  roundTo(value: number, step: number): number;
}

const recipe = (await import(pathToFileURL(join(REPO, 'docs/recipes/targets-from-history.mjs')).href)) as Recipe;
const validated = validateWith([]);
const kpis = new Map(validated.files.kpis.map((k) => [k.spec.id, k]));
const results: Record<'month' | 'week' | 'quarter', unknown> = { month: undefined, week: undefined, quarter: undefined };

beforeAll(async () => {
  const snapshot = await demoSnapshot();
  const loaded = await load(validated, snapshot);
  try {
    const shown = snapshotOf(readManifest(snapshot), '');
    // The periods the demo's scorecards show as of 1 November 2026.
    for (const [grain, period] of [['month', '2026-10'], ['week', '2026-W43'], ['quarter', '2026-Q3']] as const) {
      results[grain] = await evaluateResults({ validated, db: loaded.db, snapshot: shown, period: parsePeriod(period)!, blocked: [] });
    }
  } finally {
    loaded.db.close();
  }
}, 120_000);
afterAll(removeTempDirs);

const brandOverrides = (figures: Figures) => Object.entries(figures.brands).map(([brand, value]) => ({ where: { brand }, value }));
const stepWords = (step: number, unit: string) => (unit === 'percent' ? `${Math.round(step * 1000) / 10} pp` : `${step}`);

describe('the rule for the demo targets', () => {
  it('is the linearly interpolated percentile, rounded to the nearest step', () => {
    // Sorted 1, 2, 3, 4, 10: the 60th percentile sits at 0.6 × 4 = 2.4, between 3 and 4 → 3.4.
    expect(recipe.percentile([4, 1, 10, 3, 2], 60)).toBeCloseTo(3.4, 12);
    // At 0.4 × 4 = 1.6, between 2 and 3 → 2.6.
    expect(recipe.percentile([4, 1, 10, 3, 2], 40)).toBeCloseTo(2.6, 12);
    expect(recipe.roundTo(0.4449, 0.01)).toBe(0.44);
    expect(recipe.roundTo(0.0374, 0.005)).toBe(0.035);
    expect(recipe.roundTo(-12.825, 1)).toBe(-13);
  });
});

describe('each demo KPI\'s target is the one its comment describes', () => {
  const ruled = Object.entries(recipe.RULES);

  it('covers every KPI with a target except the two set by policy (over-contact guardrail, preferred channel mix)', () => {
    const withTarget = [...kpis.values()].filter((k) => k.spec.target).map((k) => k.spec.id);
    expect(withTarget.filter((id) => !(id in recipe.RULES)).sort()).toEqual(['channel_mix', 'over_contact_rate']);
  });

  it.each(ruled)('%s: the target equals the rule recomputed from the demo snapshot', (id, rule) => {
    const spec = kpis.get(id)!.spec as KpiSpec;
    const month = recipe.targetsFrom(results.month, id)!;
    expect(month.value).not.toBeNull();
    if (rule.absolute) {
      // Absolute bands: the all-brands percentile is the green band and the target.
      expect(spec.target).toEqual({ value: month.value });
      expect(spec.thresholds).toEqual({ mode: 'absolute', green: month.value, amber: recipe.roundTo(month.value! - rule.absolute.below, rule.step) });
      return;
    }
    const grains = (rule.grains ?? []).filter((g) => g !== 'month');
    // A KPI without brand slices (suggestions carry no brand) has one target, without overrides.
    const overrides = brandOverrides(month);
    const expected: KpiSpec['target'] = { value: month.value!, ...(overrides.length > 0 ? { overrides: overrides as never } : {}) };
    if (grains.length > 0) {
      expected.grains = Object.fromEntries(grains.map((g) => {
        const figures = recipe.targetsFrom(results[g as 'week' | 'quarter'], id)!;
        // A weekly card shows one territory, never a brand: the all-brands figure is enough.
        return [g, g === 'week' ? { value: figures.value } : { value: figures.value, overrides: brandOverrides(figures) }];
      }));
    }
    expect(spec.target).toEqual(expected);
  });

  it.each(ruled)('%s: the comment above the target names the percentile, the window and the rounding', (id, rule) => {
    const loaded = kpis.get(id)!;
    const text = loaded.file.text;
    const comment = text.slice(0, text.indexOf('\ntarget:')).split('\n').reverse();
    const lines = comment.slice(0, comment.findIndex((l) => !l.startsWith('#'))).reverse().join(' ').replace(/#\s*/g, '');
    const month = recipe.targetsFrom(results.month, id)!;
    expect(lines).toContain(`${month.percentile}th percentile`);
    expect(lines).toContain(`rounded to ${stepWords(rule.step, loaded.spec.unit)}`);
    // The window: the 12 months before the month shown (for prescriptions, a month late), or the quarter ends in it.
    const window = rule.quarterEnds ? '2025-12, 2026-03, 2026-06, 2026-09' : month.shown === '2026-09' ? '2025-09 to 2026-08' : '2025-10 to 2026-09';
    expect(lines).toContain(window);
    if (rule.grains?.includes('week')) expect(lines).toContain('2026-W31 to 2026-W42');
    if (rule.grains?.includes('quarter')) expect(lines).toContain('2025-Q3 to 2026-Q2');
    expect(lines).toContain('docs/recipes/targets-from-history.mjs');
  });
});
