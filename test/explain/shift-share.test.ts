import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/model/normalize.js';
import { partitionsByDefinition } from '../../src/explain/partition.js';
import { funnelParts, indexParts, npsParts } from '../../src/explain/parts.js';
import { addsUp, shiftShare, sliceChanges, type Contribution } from '../../src/explain/shift-share.js';
import { demoKpis, demoProject } from '../support/engine-fixture.js';
import { validateWith } from '../support/demo-project.js';

const total = (cs: Contribution[]) => cs.reduce((s, c) => s + c.total!, 0);
const bySlice = (cs: Contribution[]) => Object.fromEntries(cs.map((c) => [String(c.slice), c]));

describe('shift-share over slices that partition the total', () => {
  // Period 0: A 20/100 (rate 0.2), B 30/100 (0.3); total 50/200 = 0.25.
  // Period 1: A 45/150 (0.3),     B 15/50 (0.3);   total 60/200 = 0.30. Change +0.05.
  // Weights w0: A 0.5, B 0.5; w1: A 0.75, B 0.25.
  const before = { n: 50, d: 200, cells: [{ slice: 'A', n: 20, d: 100 }, { slice: 'B', n: 30, d: 100 }] };
  const after = { n: 60, d: 200, cells: [{ slice: 'A', n: 45, d: 150 }, { slice: 'B', n: 15, d: 50 }] };

  it('splits each slice into its rate, mix and interaction effects, worked out by hand', () => {
    const split = shiftShare(before, after);
    const { A, B } = bySlice(split.contributions);
    // A: rate 0.5 × (0.3 − 0.2) = 0.05; mix (0.75 − 0.5) × 0.2 = 0.05; interaction 0.25 × 0.1 = 0.025; total 0.125.
    expect(A!.rate_effect).toBeCloseTo(0.05, 12);
    expect(A!.mix_effect).toBeCloseTo(0.05, 12);
    expect(A!.interaction).toBeCloseTo(0.025, 12);
    expect(A!.total).toBeCloseTo(0.125, 12);
    // B: rate 0.5 × 0 = 0; mix (0.25 − 0.5) × 0.3 = −0.075; interaction −0.25 × 0 = 0; total −0.075.
    expect(B!.rate_effect).toBeCloseTo(0, 12);
    expect(B!.mix_effect).toBeCloseTo(-0.075, 12);
    expect(B!.interaction).toBeCloseTo(0, 12);
    expect(B!.total).toBeCloseTo(-0.075, 12);
    // 0.125 − 0.075 = 0.05, the change.
    expect(split.additive).toBe(true);
    expect(total(split.contributions)).toBeCloseTo(0.05, 12);
    expect(Math.abs(split.residual)).toBeLessThan(1e-12);
  });

  it('gives a slice present in one period only its whole contribution as mix, so the sum stays exact', () => {
    // Period 0: A 10/100 (0.1); total 0.1. Period 1: A 10/100, C 50/100 (new); total 60/200 = 0.3. Change +0.2.
    const split = shiftShare({ n: 10, d: 100, cells: [{ slice: 'A', n: 10, d: 100 }] }, { n: 60, d: 200, cells: [{ slice: 'A', n: 10, d: 100 }, { slice: 'C', n: 50, d: 100 }] });
    const { A, C } = bySlice(split.contributions);
    // A: rate 1 × 0 = 0; mix (0.5 − 1) × 0.1 = −0.05. C enters: mix = w1 × r1 = 0.5 × 0.5 = 0.25.
    expect(A).toMatchObject({ rate_effect: 0, interaction: 0 });
    expect(A!.mix_effect).toBeCloseTo(-0.05, 12);
    expect(C).toMatchObject({ rate_effect: 0, interaction: 0 });
    expect(C!.mix_effect).toBeCloseTo(0.25, 12);
    expect(total(split.contributions)).toBeCloseTo(0.2, 12);
  });

  it('scales the effects with the value, so an NPS by slice adds up in NPS points', () => {
    // NPS = 100 × (promoters − detractors) / respondents. Period 0: S1 50 answers, 25 P − 5 D = 20 (NPS 40);
    // S2 50 answers, 15 − 15 = 0 (NPS 0); total 20/100 → 20. Period 1: S1 150 answers, 75 − 15 = 60 (40);
    // S2 50, 0 (0); total 60/200 → 30. Change +10: the rates did not move, S1's weight went 0.5 → 0.75:
    // S1 mix 100 × 0.25 × 0.4 = +10; S2 mix 100 × (−0.25) × 0 = 0.
    const split = shiftShare(
      { n: 20, d: 100, cells: [{ slice: 'S1', n: 20, d: 50 }, { slice: 'S2', n: 0, d: 50 }] },
      { n: 60, d: 200, cells: [{ slice: 'S1', n: 60, d: 150 }, { slice: 'S2', n: 0, d: 50 }] }, 100);
    const { S1, S2 } = bySlice(split.contributions);
    expect(S1!.rate_effect).toBeCloseTo(0, 12);
    expect(S1!.mix_effect).toBeCloseTo(10, 12);
    expect(S2!.total).toBeCloseTo(0, 12);
    expect(total(split.contributions)).toBeCloseTo(10, 12);
  });
});

describe('slices that do not partition the total', () => {
  // Reach by brand, 10 HCPs, every brand slice over all 10 (one HCP can be reached by two brands).
  // Total: 6/10 = 0.6 → 7/10 = 0.7, change +0.1. Brand X 5/10 → 4/10 (−0.1); brand Y 3/10 → 5/10 (+0.2).
  const before = { n: 6, d: 10, cells: [{ slice: 'X', n: 5, d: 10 }, { slice: 'Y', n: 3, d: 10 }] };
  const after = { n: 7, d: 10, cells: [{ slice: 'X', n: 4, d: 10 }, { slice: 'Y', n: 5, d: 10 }] };

  it('are found out by the numbers: the slices\' denominators add to 20, not 10', () => {
    expect(addsUp(before)).toBe(false);
    expect(addsUp({ n: 50, d: 200, cells: [{ slice: 'A', n: 20, d: 100 }, { slice: 'B', n: 30, d: 100 }] })).toBe(true);
  });

  it('show each slice\'s own change and the residual, never a rate or mix effect', () => {
    const split = sliceChanges(before, after, 1, 'overlap');
    const { X, Y } = bySlice(split.contributions);
    expect(X).toMatchObject({ rate_effect: null, mix_effect: null, interaction: null });
    expect(X!.total).toBeCloseTo(-0.1, 12);
    expect(Y!.total).toBeCloseTo(0.2, 12);
    // Weighted by the earlier period's denominators (10 and 10 of 20): 0.5 × −0.1 + 0.5 × 0.2 = 0.05 explained;
    // residual 0.1 − 0.05 = 0.05.
    expect(split).toMatchObject({ additive: false, reason: 'overlap' });
    expect(split.residual).toBeCloseTo(0.05, 12);
  });
});

describe('the parts of a formula', () => {
  it('splits an NPS change into the promoters\' and the detractors\' part', () => {
    // 100 answers, 40 P, 20 D → NPS 20; 200 answers, 90 P, 30 D → 45 − 15 = 30. Change +10:
    // promoters 100 × (0.45 − 0.40) = +5; detractors −100 × (0.15 − 0.20) = +5 (fewer detractors raise it).
    const split = npsParts({ promoters: 40, detractors: 20, respondents: 100 }, { promoters: 90, detractors: 30, respondents: 200 });
    const { promoters, detractors } = bySlice(split.contributions);
    expect(promoters!.total).toBeCloseTo(5, 12);
    expect(detractors!.total).toBeCloseTo(5, 12);
    expect(split.additive).toBe(true);
  });

  it('splits a funnel\'s change over its steps with logarithmic weights that add up exactly', () => {
    // 100 → 50 → 20 (step rates 0.5, 0.4; conversion 0.2) → 100 → 60 → 30 (0.6, 0.5; 0.3). Change +0.1.
    // L = (0.3 − 0.2) / ln(0.3 / 0.2) = 0.246630…; step 1 L × ln(0.6 / 0.5) = 0.044966…, step 2 L × ln(0.5 / 0.4) = 0.055034….
    const split = funnelParts(['viewed', 'clicked', 'downloaded'], [100, 50, 20], [100, 60, 30]);
    if ('reason' in split) throw new Error(split.reason);
    expect(split.method).toBe('step rates, logarithmic');
    const steps = bySlice(split.contributions);
    expect(steps['viewed → clicked']!.total).toBeCloseTo(0.044966028678679, 12);
    expect(steps['clicked → downloaded']!.total).toBeCloseTo(0.055033971321321, 12);
    expect(total(split.contributions)).toBeCloseTo(0.1, 14);
  });

  it('changes a funnel\'s steps one after another when a step rate is 0, still adding up', () => {
    // 100 → 50 → 0 (0.5, 0; conversion 0) → 100 → 40 → 10 (0.4, 0.25; 0.1). Change +0.1.
    // Step 1 at its new rate, step 2 still old: (0.4 − 0.5) × 0 = 0; step 2: 0.4 × (0.25 − 0) = 0.1.
    const split = funnelParts(['a', 'b', 'c'], [100, 50, 0], [100, 40, 10]);
    if ('reason' in split) throw new Error(split.reason);
    expect(split.method).toBe('step rates, in funnel order');
    expect(split.contributions.map((c) => c.total)).toEqual([0, expect.closeTo(0.1, 14)]);
  });

  it('splits the engagement index into breadth, depth and consistency with the index\'s weights', () => {
    // Weights 0.3 / 0.3 / 0.4. Before: 100 × (0.3 × 0.5 + 0.3 × 0.4 + 0.4 × 0.5) = 47;
    // after: 100 × (0.3 × 0.6 + 0.3 × 0.4 + 0.4 × 0.25) = 40. Change −7 = breadth +3, depth 0, consistency −10.
    const w = { breadth: 0.3, depth: 0.3, consistency: 0.4 };
    const split = indexParts(w, { breadth: 0.5, depth: 0.4, consistency: 0.5, value: 47 }, { breadth: 0.6, depth: 0.4, consistency: 0.25, value: 40 });
    if ('reason' in split) throw new Error(split.reason);
    expect(split.contributions.map((c) => [c.slice, c.total])).toEqual([['breadth', expect.closeTo(3, 12)], ['depth', expect.closeTo(0, 12)], ['consistency', expect.closeTo(-10, 12)]]);
    // Parts that do not rebuild the value (other weights) give no split.
    expect(indexParts(w, { breadth: 0.5, depth: 0.4, consistency: 0.5, value: 50 }, { breadth: 0.6, depth: 0.4, consistency: 0.25, value: 40 })).toHaveProperty('reason');
  });
});

describe('which dimensions partition a KPI, from its definition', () => {
  const model = normalize({ project: demoProject, channels: validateWith([]).files.channels.map((c) => c.spec), kpis: demoKpis, scorecards: [] });
  const measure = (id: string) => model.kpis.find((k) => k.id === id)!.measure;
  const partitions = (id: string, dim: string) => partitionsByDefinition(measure(id), dim, model, model.words).partitions;

  it('an attribute of the HCP partitions a KPI that counts HCPs', () => {
    expect(partitions('reach', 'country')).toBe(true);
    expect(partitions('reach', 'territory')).toBe(true);
  });

  it('a brand does not partition HCP reach, where one HCP can be reached for two brands', () => {
    expect(partitionsByDefinition(measure('reach'), 'brand', model, model.words)).toEqual({ partitions: false, reason: 'an HCP can be in several brand slices, so the slices overlap' });
  });

  it('a brand partitions a ratio of touches, where each touch has one brand', () => {
    expect(partitions('email_open_rate', 'brand')).toBe(true);
  });
});
