import { describe, expect, it } from 'vitest';
import { buildScorecards } from '../../src/scorecard/build.js';
import { contextOf, demo, result, resultsDoc, scorecard, slice } from '../support/results.js';

// Cardiora's email open rate in two countries, opens ÷ delivered, Sep → Oct 2026:
//   DE 100/400 = 0.25 → 60/400 = 0.15     FR 60/200 = 0.30 → 75/300 = 0.25
//   brand 160/600 = 0.26667 → 135/700 = 0.192857: a change of −0.0738095 (−7.4 pp).
// Weights w0 = 2/3, 1/3 → w1 = 4/7, 3/7. Rate effects w0·(r1 − r0): DE −0.0666667, FR −0.0166667.
// Mix + interaction (w1 − w0)·r1: DE (−2/21)·0.15 = −0.0142857, FR (2/21)·0.25 = +0.0238095, together +1/105 = +0.0095238.
// −0.0666667 − 0.0166667 + 0.0095238 = −0.0738095, the change.
const openRate = demo('email_open_rate');
const brand = slice({ brand: 'cardiora' }, [160 / 600, 135 / 700], { n: [600, 700] });
const de = slice({ brand: 'cardiora', country: 'DE' }, [0.25, 0.15], { n: [400, 400] });
const fr = slice({ brand: 'cardiora', country: 'FR' }, [0.3, 0.25], { n: [200, 300] });
const cardOf = (slices = [brand, de, fr], explain: { by: string[]; top?: number } | null = { by: ['country'] }) => {
  const results = resultsDoc([result(openRate, slices)]);
  return buildScorecards(contextOf([openRate], results), scorecard(['email_open_rate'], explain ? { explain } : {}))[0]!;
};

describe('what moved it, on a scorecard that opts in', () => {
  it('splits the brand\'s move into each country\'s rate effect and the mix, which add up to the move', () => {
    const mover = cardOf().headline.movers[0]!;
    expect(mover.delta).toBe('−7.4 pp');
    const [byCountry] = mover.moved!;
    expect(byCountry!.additive).toBe(true);
    expect(byCountry!.rates.map((r) => r.slice)).toEqual(['DE', 'FR']);
    expect(byCountry!.rates[0]!.rate).toBeCloseTo(-0.1 * 2 / 3, 12);
    expect(byCountry!.rates[1]!.rate).toBeCloseTo(-0.05 / 3, 12);
    expect(byCountry!.mix).toBeCloseTo(1 / 105, 12);
    expect(byCountry!.change).toBeCloseTo(135 / 700 - 160 / 600, 12);
    expect(Math.abs(byCountry!.rates.reduce((s, r) => s + r.rate, 0) + byCountry!.mix - byCountry!.change)).toBeLessThan(1e-9);
    expect(byCountry!.text).toBe('By country: email open rate fell in every country; DE −6.7 pp, FR −1.7 pp (rate); mix +1.0 pp.');
  });

  it('says the slices do not add up, and shows no share, when the countries do not sum to the brand', () => {
    // DE and FR deliver 600 in September, but the brand says 650: another country is missing from the slices.
    const short = slice({ brand: 'cardiora' }, [160 / 650, 135 / 700], { n: [650, 700] });
    const [byCountry] = cardOf([short, de, fr]).headline.movers[0]!.moved!;
    expect(byCountry).toMatchObject({ additive: false, rates: [] });
    expect(byCountry!.text).toBe('By country: not split (the country slices do not add up to the total), so no share of the move is shown.');
  });

  it('names only the top slices and sums the rest, so the shown numbers still add up', () => {
    const [byCountry] = cardOf(undefined, { by: ['country'], top: 1 }).headline.movers[0]!.moved!;
    expect(byCountry!.rates.map((r) => r.slice)).toEqual(['DE', 'FR']);
    expect(byCountry!.text).toContain('DE −6.7 pp, FR −1.7 pp (rate)');
  });

  it('never names a slice under the minimum cell, nor leaves it alone among the others, so its effect cannot be told apart', () => {
    // LU delivers 5 then 6 emails (under the minimum cell of 11): 1/5 → 3/6. The brand adds it: 161/605 → 138/706.
    const lu = slice({ brand: 'cardiora', country: 'LU' }, [0.2, 0.5], { n: [5, 6] });
    const withLu = slice({ brand: 'cardiora' }, [161 / 605, 138 / 706], { n: [605, 706] });
    const [byCountry] = cardOf([withLu, de, fr, lu]).headline.movers[0]!.moved!;
    // LU alone would be "1 other country": FR, the smaller named effect, joins it.
    expect(byCountry!.rates.map((r) => r.slice)).toEqual(['DE', '2 other countries']);
    expect(byCountry!.text).not.toContain('LU');
    expect(Math.abs(byCountry!.rates.reduce((s, r) => s + r.rate, 0) + byCountry!.mix - (138 / 706 - 161 / 605))).toBeLessThan(1e-9);
  });

  it('says the slices overlap, and shows no share, for a count of HCPs split by a column of the touches', () => {
    // Reach counts HCPs; one HCP can be reached for two brands, so Germany's brand slices overlap (300 + 250 > 500 reached of 1,000).
    const reach = demo('reach');
    const germany = slice({ country: 'DE' }, [0.4, 0.5], { n: [1000, 1000] });
    const a = slice({ country: 'DE', brand: 'cardiora' }, [0.25, 0.3], { n: [1000, 1000] });
    const b = slice({ country: 'DE', brand: 'neurexa' }, [0.2, 0.25], { n: [1000, 1000] });
    const card = buildScorecards(contextOf([reach], resultsDoc([result(reach, [germany, a, b])])),
      scorecard(['reach'], { slice: ['country'], audience: [{ name: 'Jonas Keller', email: 'jonas.keller@example.com', filter: { country: 'DE' } }], explain: { by: ['brand'] } }))[0]!;
    const [byBrand] = card.headline.movers[0]!.moved!;
    expect(byBrand).toMatchObject({ additive: false, rates: [] });
    expect(byBrand!.text).toBe('By brand: not split (an HCP can be in several brand slices, so the slices overlap), so no share of the move is shown.');
  });

  it('shows slice values as words, as it shows dimension names', () => {
    // The same numbers as DE and FR above, as two segments.
    const hp = slice({ brand: 'cardiora', segment: 'high_prescriber' }, [0.25, 0.15], { n: [400, 400] });
    const lp = slice({ brand: 'cardiora', segment: 'low_potential' }, [0.3, 0.25], { n: [200, 300] });
    const [bySegment] = cardOf([brand, hp, lp], { by: ['segment'] }).headline.movers[0]!.moved!;
    expect(bySegment!.text).toBe('By segment: email open rate fell in every segment; high prescriber −6.7 pp, low potential −1.7 pp (rate); mix +1.0 pp.');
  });

  it('adds nothing to a scorecard that does not opt in', () => {
    expect(cardOf(undefined, null).headline.movers[0]!.moved).toBeUndefined();
  });
});
