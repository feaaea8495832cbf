import { describe, expect, it } from 'vitest';
import type { HcpBrief } from '../../src/scorecard/context.js';
import { complementarySuppression } from '../../src/scorecard/privacy.js';
import type { ProjectSpec } from '../../src/spec/project.js';
import { demoProject } from '../support/engine-fixture.js';
import { build, demo, kpi, result, rowIn, rowOf, slice } from '../support/results.js';

// Hand-made results/v1 documents for October 2026 (test/support/results.ts); the project's minimum cell size is 11.

const HIDDEN = { status: 'suppressed', symbol: '⊘', label: 'Hidden (privacy)' };

describe('a slice under the minimum cell size', () => {
  const spec = kpi('email_ctor', { target: { value: 0.25 } });
  // 2025-10 … 2026-09 on 500 HCPs, then 2026-10 on 7: the reported value, 0.5, must not show.
  const values = [0.2, 0.2, 0.21, 0.19, 0.2, 0.2, 0.2, 0.21, 0.19, 0.2, 0.2, 0.25, 0.5];
  const ns = [...Array<number>(12).fill(500), 7];
  const [card] = build([spec], [result(spec, [slice({ brand: 'cardiora' }, values, { n: ns })])]);
  const r = rowIn(card!, spec.id);

  it('is suppressed: no value, "fewer than 11", status suppressed', () => {
    expect(r.value).toBeNull();
    expect(r.display).toBe('fewer than 11');
    expect(r.suppressed).toBe(true);
    expect(r.status).toEqual({ ...HIDDEN, reason: 'fewer than 11 behind the value' });
  });

  it('has no comparison with the previous period or last year, nor an anomaly flag, though both periods are on 500 HCPs', () => {
    // Either delta would give the hidden value away: 0.25 + (+25.0 pp) = 0.5.
    expect(r.previous).toBeUndefined();
    expect(r.last_year).toBeUndefined();
    expect(r.anomaly).toBeUndefined();
    expect(JSON.stringify(r)).not.toContain('25.0 pp');
  });

  it('its reported trend point is hidden too', () => {
    expect(r.trend.at(-1)).toEqual({ period: '2026-10', value: null, n: 7, suppressed: true });
    expect(r.trend.at(-2)).toEqual({ period: '2026-09', value: 0.25, n: 500 });
  });

  it('counts as hidden, is not "empty", and is neither a status colour nor a mover', () => {
    expect(card!.suppressed).toBe(1);
    expect(card!.empty).toBe(false);
    expect(card!.headline.counts).toEqual({ green: 0, amber: 0, red: 0, other: 1 });
    expect(card!.headline.movers).toEqual([]);
  });

  it('hides a mix and an answer distribution too', () => {
    const mix = rowOf(demo('channel_mix'), [{ in_person: 0.5, virtual: 0.5 }], { n: 6 });
    expect([mix.value, mix.mix, mix.display]).toEqual([null, undefined, 'fewer than 11']);
    const answers = { promoters: 5, passives: 2, detractors: 1, respondents: 8 };
    expect(rowOf(kpi('nps', { min_sample: undefined }), [50], { n: 8, components: answers }).distribution).toBeUndefined();
    // On 35 respondents it is shown: 20 promoters, 10 passives, 5 detractors.
    const shown = { promoters: 20, passives: 10, detractors: 5, respondents: 35 };
    expect(rowOf(kpi('nps', { min_sample: undefined }), [43], { n: 35, components: shown }).distribution).toEqual(shown);
  });

  it('follows the project\'s min_cell_size, 11 when unset', () => {
    const strict: ProjectSpec = { ...demoProject, privacy: { min_cell_size: 20 } };
    const r20 = rowOf(spec, [0.3, 0.3], { n: [15, 15], project: strict });
    expect([r20.display, r20.status.reason, r20.trend[0]!.suppressed]).toEqual(['fewer than 20', 'fewer than 20 behind the value', true]);
    const unset: ProjectSpec = { ...demoProject, privacy: undefined };
    expect(rowOf(spec, [0.3], { n: 10, project: unset }).display).toBe('fewer than 11');
    expect(rowOf(spec, [0.3], { n: 11, project: unset }).display).toBe('30.0%'); // 11 is enough
  });
});

describe('trend points under the minimum', () => {
  const spec = kpi('email_ctor', { target: undefined });

  it('have value null and suppressed: true; 11 is enough', () => {
    const r = rowOf(spec, [0.1, 0.2, 0.3, 0.4, 0.5], { n: [500, 10, 11, 3, 500] });
    expect(r.trend).toEqual([
      { period: '2026-06', value: 0.1, n: 500 },
      { period: '2026-07', value: null, n: 10, suppressed: true },
      { period: '2026-08', value: 0.3, n: 11 },
      { period: '2026-09', value: null, n: 3, suppressed: true },
      { period: '2026-10', value: 0.5, n: 500 },
    ]);
  });

  it('a hidden previous period gives no delta', () => {
    expect(rowOf(spec, [0.3, 0.5], { n: [5, 500] }).previous).toBeUndefined(); // 0.5 − 0.3 would reveal 0.3
  });

  it('a hidden last-year value gives no relative target (the target would reveal it)', () => {
    const rel = kpi('email_ctor', { target: { relative: { to: 'last_year', change: 0.1 } } });
    const r = rowOf(rel, [0.2, ...Array<number>(11).fill(0.25), 0.3], { n: [5, ...Array<number>(12).fill(500)] }); // 2025-10 on 5 HCPs
    expect(r.target).toBeUndefined(); // 0.2 × 1.1 = 0.22 would give 0.2 away
    expect(r.target_note).toBe('the target is relative to last year, which has no value');
    expect(r.last_year).toBeUndefined();
  });
});

describe('complementarySuppression', () => {
  const hide = (ns: number[], min = 11) => [...complementarySuppression(ns, min)].sort((a, b) => a - b);

  it('one small cell: it and the next smallest are hidden, since one hidden cell is the total minus the others', () => {
    expect(hide([50, 5, 30, 40])).toEqual([1, 2]); // 5 < 11; the smallest other is 30 (index 2); 5 + 30 = 35 ≥ 11
    expect(hide([20, 5, 30])).toEqual([0, 1]);
    expect(hide([5, 50])).toEqual([0, 1]);
  });

  it('keeps hiding while the hidden cells together count fewer than the minimum', () => {
    expect(hide([3, 4, 100, 100])).toEqual([0, 1, 2]); // 3 + 4 = 7 < 11 → hide 100 (index 2: ties go to the first)
    expect(hide([2, 3, 4, 50, 60])).toEqual([0, 1, 2, 3]); // 2 + 3 + 4 = 9 < 11 → hide 50
    expect(hide([6, 6, 30])).toEqual([0, 1]); // 6 + 6 = 12 ≥ 11: two hidden cells are enough
  });

  it('hides nothing when every cell reaches the minimum', () => {
    expect(hide([11, 12, 500])).toEqual([]);
    expect(hide([])).toEqual([]);
  });

  it('a single cell under the minimum has nothing to hide it with', () => {
    expect(hide([5])).toEqual([0]);
  });
});

describe('breakdown columns', () => {
  const reach = demo('reach'); // target 0.6, bands 1.0 / 0.85
  const visits = kpi('frequency', { id: 'visits_per_hcp', name: 'Visits per HCP', dimensions: ['country'] });
  const res = [
    result(reach, [
      slice({}, [0.6], { n: 400 }), // 240 of 400 reached
      slice({ brand: 'cardiora' }, [0.65], { n: 200 }), // 130 of 200
      slice({ brand: 'neurexa' }, [0.4], { n: 5 }), // 2 of 5
      slice({ brand: 'pulmivo' }, [108 / 195], { n: 195 }), // 108 of 195
      slice({ country: 'DE' }, [0.7], { n: 100 }),
    ]),
    result(visits, [slice({}, [3.9], { n: 400 }), slice({ country: 'DE' }, [4], { n: 100 })]),
  ];
  const exec = { name: 'Exec', email: 'exec@example.com' };
  const [card] = build([reach, visits], res, { card: { slice: [], breakdown: 'brand', audience: [exec] } });

  it('lists the dimension\'s values', () => {
    expect(card!.breakdown).toEqual({ dimension: 'brand', values: ['cardiora', 'neurexa', 'pulmivo'] });
  });

  it('apply complementary suppression: the small cell and the next smallest are hidden', () => {
    const cells = rowIn(card!, 'reach').breakdown!;
    expect(cells.map((c) => [c.value, c.display, c.suppressed])).toEqual([
      ['cardiora', '65.0%', false],
      ['neurexa', '⊘', true], // 5 < 11
      ['pulmivo', '⊘', true], // 195 is enough, but shown, 240 − 130 − 108 = 2 of 5 would give neurexa's 40% away
    ]);
    expect(cells[0]!.status).toEqual({ status: 'green', symbol: '✓', label: 'On target' }); // 0.65 ÷ 0.6 ≥ 1
    expect(cells[1]!.status).toEqual({ ...HIDDEN, reason: 'fewer than 11 behind the value' });
    expect(cells[2]!.status).toEqual({ ...HIDDEN, reason: 'hidden so that a smaller hidden cell cannot be worked out from the total' });
    expect(JSON.stringify(cells)).not.toMatch(/40\.0%|55\.4%/);
  });

  it('the total stays shown; hidden cells are counted; a KPI not sliced by the dimension has no breakdown', () => {
    expect(rowIn(card!, 'reach')).toMatchObject({ display: '60.0%', suppressed: false });
    expect(card!.suppressed).toBe(2);
    expect(rowIn(card!, 'visits_per_hcp').breakdown).toBeUndefined();
  });

  it('with every cell at the minimum nothing is hidden', () => {
    const big = [result(reach, [slice({}, [0.6], { n: 400 }), slice({ brand: 'cardiora' }, [0.65], { n: 200 }), slice({ brand: 'neurexa' }, [0.55], { n: 200 })])];
    const [c] = build([reach], big, { card: { slice: [], breakdown: 'brand', audience: [exec] } });
    expect(rowIn(c!, 'reach').breakdown!.map((x) => x.display)).toEqual(['65.0%', '55.0%']);
    expect(c!.suppressed).toBe(0);
  });
});

describe('HCP briefs (n=1)', () => {
  const reach = demo('reach');
  const h1: HcpBrief = {
    hcp_id: 'HCP-0001', territory: 'T-042', segment: 'high_prescriber', channels: ['rep_visit', 'email'], engaged_touches: 6,
    last_touch: { at: '2026-10-28T09:00:00Z', channel: 'rep_visit', event: 'detailed' }, open_items: [],
    over_cap: { channel: 'email', window: '2026-W41', touches: 4, cap: 2 },
  };
  const h2: HcpBrief = { hcp_id: 'HCP-0002', territory: 'T-042', channels: [], engaged_touches: 0, open_items: [{ kind: 'sample_request', at: '2026-10-20T00:00:00Z', text: 'Sample request without a visit' }] };
  // Another territory's HCP slipped into T-042's list: it must not reach T-042's rep.
  const stray: HcpBrief = { hcp_id: 'HCP-0999', territory: 'T-099', channels: ['email'], engaged_touches: 1, open_items: [] };
  const briefs = new Map<string, HcpBrief[]>([['T-042', [h1, stray, h2]], ['T-099', [stray]]]);
  const res = [result(reach, [slice({ territory: 'T-042' }, [0.6]), slice({ territory: 'T-007' }, [0.5]), slice({ territory: 'T-099' }, [0.4]), slice({}, [0.55])])];
  const audience = [
    { name: 'Rep 042', email: 'rep042@example.com', filter: { territory: 'T-042' } },
    { name: 'Rep 007', email: 'rep007@example.com', filter: { territory: 'T-007' } },
    { name: 'Rep 099', email: 'rep099@example.com', filter: { territory: 'T-099' } },
    { name: 'Exec', email: 'exec@example.com' },
  ];

  it('go only to the rep whose filter names the territory, with only that territory\'s HCPs', () => {
    const [r42, r07, r99, exec] = build([reach], res, { card: { slice: ['territory'], audience, brief: { look_back_months: 3 } }, ctx: { briefs } });
    // The open item first, then the HCP over its cap: both need action.
    expect(r42!.brief).toMatchObject({ look_back_months: 3, hcps: [h2, h1], action: [h2, h1], over_cap: [h1] });
    expect(r07!.brief).toMatchObject({ look_back_months: 3, hcps: [], action: [], over_cap: [] });
    expect(r99!.brief).toMatchObject({ look_back_months: 3, hcps: [stray], action: [], over_cap: [] });
    expect(exec!.brief).toBeUndefined(); // no territory filter, no brief
    expect(JSON.stringify(exec)).not.toContain('HCP-0');
  });

  it('not at all on a scorecard without `brief`', () => {
    const cards = build([reach], res, { card: { slice: ['territory'], audience }, ctx: { briefs } });
    expect(cards.map((c) => c.brief)).toEqual([undefined, undefined, undefined, undefined]);
    expect(JSON.stringify(cards)).not.toContain('HCP-0');
  });

  it('look back 6 months by default', () => {
    const [r42] = build([reach], res, { card: { slice: ['territory'], audience: [audience[0]!], brief: {} }, ctx: { briefs } });
    expect(r42!.brief?.look_back_months).toBe(6);
  });
});
