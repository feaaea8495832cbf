import { describe, expect, it } from 'vitest';
import { explainedOf } from '../../src/scorecard/explained.js';
import { buildScorecards } from '../../src/scorecard/build.js';
import { CLARA, contextOf, demo, result, resultsDoc, scorecard, slice } from '../support/results.js';

// Cardiora's email open rate in two countries, opens ÷ delivered, Sep → Oct 2026:
//   DE 20/100 = 0.20 → 45/150 = 0.30     FR 30/100 = 0.30 → 15/50 = 0.30
//   brand 50/200 = 0.25 → 60/200 = 0.30: a change of +0.05.
// Weights w0 = ½, ½ → w1 = ¾, ¼.
//   DE: rate ½·(0.30 − 0.20) = 0.05, mix (¾ − ½)·0.20 = 0.05, interaction ¼·0.10 = 0.025; total 0.125
//   FR: rate ½·0 = 0, mix (¼ − ½)·0.30 = −0.075, interaction −¼·0 = 0; total −0.075
//   0.125 − 0.075 = +0.05, the change.
const openRate = demo('email_open_rate');
const brand = slice({ brand: 'cardiora' }, [0.25, 0.3], { n: [200, 200] });
const de = slice({ brand: 'cardiora', country: 'DE' }, [0.2, 0.3], { n: [100, 150] });
const fr = slice({ brand: 'cardiora', country: 'FR' }, [0.3, 0.3], { n: [100, 50] });
const explainedWith = (slices = [brand, de, fr], patch: Parameters<typeof scorecard>[1] = { explain: { by: ['country'] } }) => {
  const results = resultsDoc([result(openRate, slices)]);
  const ctx = contextOf([openRate], results);
  return { ctx, results, explained: explainedOf(results, ctx.kpis, ctx.project, [scorecard(['email_open_rate'], patch)]) };
};

describe('the results\' "explained" section', () => {
  it('splits each recipient slice\'s move into every slice\'s rate, mix and interaction, adding up to the change', () => {
    const { explained } = explainedWith();
    expect(explained).toHaveLength(1);
    const [entry] = explained;
    expect(entry).toMatchObject({ scorecard: 'test_card', slice: { brand: 'cardiora' }, kpi: 'email_open_rate', period: '2026-10', compared_to: '2026-09', value: 0.3, previous: 0.25 });
    expect(entry!.change).toBeCloseTo(0.05, 15);
    const [byCountry] = entry!.by;
    expect(byCountry).toMatchObject({ dimension: 'country', additive: true });
    expect(byCountry!.contributions.map((c) => c.slice)).toEqual(['DE', 'FR']);
    const [d, f] = byCountry!.contributions;
    expect(d!.rate_effect).toBeCloseTo(0.05, 12);
    expect(d!.mix_effect).toBeCloseTo(0.05, 12);
    expect(d!.interaction).toBeCloseTo(0.025, 12);
    expect(d!.total).toBeCloseTo(0.125, 12);
    expect(f!.rate_effect).toBeCloseTo(0, 12);
    expect(f!.mix_effect).toBeCloseTo(-0.075, 12);
    expect(f!.total).toBeCloseTo(-0.075, 12);
    expect(Math.abs(d!.total! + f!.total! - entry!.change)).toBeLessThan(1e-9);
    expect(Math.abs(byCountry!.residual)).toBeLessThan(1e-9);
  });

  it('is the split the email\'s "what moved it" shows, before small slices are folded', () => {
    const { ctx, results, explained } = explainedWith();
    const card = buildScorecards(ctx, scorecard(['email_open_rate'], { explain: { by: ['country'] } }))[0]!;
    const [moved] = card.headline.movers[0]!.moved!;
    const rates = Object.fromEntries(explained[0]!.by[0]!.contributions.map((c) => [c.slice, c.rate_effect]));
    for (const r of moved!.rates) expect(r.rate).toBeCloseTo(rates[r.slice]!, 15);
    expect(moved!.change).toBeCloseTo(explained[0]!.change, 15);
    expect(results.kpis).toHaveLength(1);
  });

  it('gives each slice\'s own change and the residual, with no rate or mix, when the slices do not add up', () => {
    // The brand delivered 250 in September, 50 in a country not among the slices: DE and FR sum to 200.
    const short = slice({ brand: 'cardiora' }, [60 / 250, 0.3], { n: [250, 200] });
    const [byCountry] = explainedWith([short, de, fr]).explained[0]!.by;
    expect(byCountry).toMatchObject({ additive: false, reason: 'the country slices do not add up to the total' });
    // Each country's own change: DE +0.10, FR 0. Residual: the change (0.30 − 0.24 = 0.06) minus ½·0.10 + ½·0 = 0.01.
    expect(byCountry!.contributions.map((c) => [c.slice, c.rate_effect, c.mix_effect])).toEqual([['DE', null, null], ['FR', null, null]]);
    expect(byCountry!.contributions[0]!.total).toBeCloseTo(0.1, 12);
    expect(byCountry!.residual).toBeCloseTo(0.01, 12);
  });

  it('lists each recipient slice once, and nothing for a scorecard that does not opt in or runs at another grain', () => {
    const twice = { explain: { by: ['country'] }, audience: [CLARA, { ...CLARA, name: 'Ada', email: 'ada@example.com' }] };
    expect(explainedWith(undefined, twice).explained).toHaveLength(1);
    expect(explainedWith(undefined, {}).explained).toEqual([]);
    expect(explainedWith(undefined, { explain: { by: ['country'] }, grain: 'week' }).explained).toEqual([]);
  });
});
