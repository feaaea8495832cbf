import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/cli/run.js';
import { buildScorecards } from '../../src/scorecard/build.js';
import type { RecipientScorecard } from '../../src/scorecard/view.js';
import type { Results } from '../../src/spec/results.js';
import { kpiops } from '../support/cli.js';
import { REPO, validateWith } from '../support/demo-project.js';
import { demoKpis } from '../support/engine-fixture.js';
import { contextOf } from '../support/results.js';
import { demoSnapshot, removeTempDirs, tempDir } from '../support/snapshots.js';

// The demo sample plants a collapse of neurexa's email opens from 2026-09 (engine/duckdb/sample/tables.ts);
// the brand scorecard opts in to "what moved it" by country and segment.
let texts: Map<string, string>;
let cards: RecipientScorecard[];

beforeAll(async () => {
  const snapshot = await demoSnapshot();
  const dir = tempDir('kpiops-moved-');
  const run = await kpiops(['run', '-p', REPO, '--snapshot', snapshot, '--scorecard', 'brand_monthly', '--out', join(dir, 'outbox'), '-q']);
  expect(run.code, run.stderr).toBe(0);
  const entries = (JSON.parse(readFileSync(join(dir, 'outbox', 'summary.json'), 'utf8')) as { entries: OutboxEntry[] }).entries;
  texts = new Map(entries.map((e) => [e.email, readFileSync(e.files!.text, 'utf8')]));
  const evaluated = await kpiops(['eval', '-p', REPO, '--snapshot', snapshot, '--out', join(dir, 'results.json'), '-q']);
  expect(evaluated.code, evaluated.stderr).toBe(0);
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
  const brandMonthly = validateWith([]).files.scorecards.find((s) => s.spec.id === 'brand_monthly')!.spec;
  cards = buildScorecards(contextOf(demoKpis, results), brandMonthly);
}, 180_000);
afterAll(removeTempDirs);

const NEUREXA = 'luca.bianchi@demo-pharma.example';

describe('what moved it, in the demo brand scorecard', () => {
  it('tells the neurexa brand lead that the open-rate collapse fell in every country and segment, by how much where', () => {
    const text = texts.get(NEUREXA)!;
    expect(text).toMatch(/ {2}- Email open rate −1\d\.\d pp since 2026-08 \(✗ Off target\)\n {4}What moved it:\n {6}By country: email open rate fell in every country; [A-Z]{2} −\d\.\d pp, [A-Z]{2} −\d\.\d pp, [A-Z]{2} −\d\.\d pp, 3 other countries −\d\.\d pp \(rate\); mix [−+±]\d\.\d pp\.\n {6}By segment: email open rate fell in every segment;/);
  });

  it('the contributions add up to the move: exactly in the numbers, and within display rounding in the text', () => {
    const neurexa = cards.find((c) => c.recipient.email === NEUREXA)!;
    const mover = neurexa.headline.movers.find((m) => m.id === 'email_open_rate')!;
    const trend = neurexa.groups.flatMap((g) => g.rows).find((r) => r.id === 'email_open_rate')!.trend;
    const move = trend.at(-1)!.value! - trend.find((t) => t.period === mover.since)!.value!;
    expect(mover.moved!.map((m) => m.dimension)).toEqual(['country', 'segment']);
    for (const split of mover.moved!) {
      expect(split.additive).toBe(true);
      expect(Math.abs(split.change - move)).toBeLessThan(1e-9);
      expect(Math.abs(split.rates.reduce((s, r) => s + r.rate, 0) + split.mix - move)).toBeLessThan(1e-9);
      // The shown pp, each rounded to 0.1, add up to the move's pp within half a tenth each.
      const shown = [...split.text.matchAll(/([−+±])(\d+\.\d) pp/g)].map((m) => (m[1] === '−' ? -1 : 1) * Number(m[2]));
      expect(shown).toHaveLength(split.rates.length + 1);
      expect(Math.abs(shown.reduce((s, x) => s + x, 0) - move * 100)).toBeLessThanOrEqual(0.05 * shown.length + 1e-9);
    }
  });

  it('the other brands\' emails claim no open-rate collapse', () => {
    for (const [email, text] of texts) {
      if (email === NEUREXA) continue;
      expect(text, email).not.toMatch(/Email open rate −\d+\.\d pp since/);
      expect(text, email).not.toContain('email open rate fell');
    }
    expect(texts.size).toBe(3);
  });
});
