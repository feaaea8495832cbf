import { beforeAll, describe, expect, it } from 'vitest';
import type { KpiValues } from '../../src/evaluate/evaluate.js';
import { demoKpis, evaluateFixture, slice, type FixtureRow } from '../support/engine-fixture.js';

/**
 * A world small enough to compute every reference KPI by hand, for October 2026.
 * Targets: H1, H2 (DE), H3, H5 (FR); H4 (FR) is not a target. Brand cardiora unless said.
 */
const hcps: FixtureRow[] = [
  { hcp_id: 'H1', country: 'DE', segment: 'growth', territory: 'T1', target: true },
  { hcp_id: 'H2', country: 'DE', segment: 'maintain', territory: 'T1', target: true },
  { hcp_id: 'H3', country: 'FR', segment: 'growth', territory: 'T2', target: true },
  { hcp_id: 'H4', country: 'FR', segment: 'growth', territory: 'T2', target: false },
  { hcp_id: 'H5', country: 'FR', segment: 'maintain', territory: 'T2', target: true },
];

type Event = [id: string, touch: string, hcp: string, at: string, channel: string, event: string, extra?: FixtureRow];
const events: Event[] = [
  ['e01', 'M0', 'H1', '2026-05-01 10:00:00', 'email', 'opened'], // H1's only engagement before October: lapsed by then
  ['e02', 'M1', 'H1', '2026-09-30 23:59:59', 'email', 'delivered'], // a September delivery …
  ['e03', 'M1', 'H1', '2026-10-01 00:00:00', 'email', 'opened'], // … opened at midnight: an October open
  ['e04', 'M1', 'H1', '2026-10-01 08:00:00', 'email', 'clicked'],
  ['e05', 'M2', 'H1', '2026-10-05 09:00:00', 'email', 'delivered'],
  ['e06', 'M2', 'H1', '2026-10-05 09:00:01', 'email', 'opened', { bot: true }], // a mail scanner: never engagement
  ['e07', 'M3', 'H2', '2026-10-06 09:00:00', 'email', 'delivered'],
  ['e08', 'M3', 'H2', '2026-10-06 10:00:00', 'email', 'opened'], // bot missing: a person
  ['e09', 'M3', 'H2', '2026-10-07 10:00:00', 'email', 'opened', { bot: false }], // the same touch opened twice
  ['e10', 'M6', 'H2', '2026-10-07 09:00:00', 'email', 'delivered'],
  ['e11', 'M7', 'H2', '2026-10-08 09:00:00', 'email', 'delivered'], // H2's third email in ISO week 41: over the cap of 2
  ['e12', 'M4', 'H3', '2026-10-31 23:59:59', 'email', 'delivered'],
  ['e13', 'M4', 'H3', '2026-11-01 00:00:00', 'email', 'opened'], // a November open
  ['e14', 'M5', 'H4', '2026-10-10 09:00:00', 'email', 'delivered'],
  ['e15', 'M5', 'H4', '2026-10-10 12:00:00', 'email', 'opened'],
  ['e16', 'V1', 'H1', '2026-10-15 08:00:00', 'rep_visit', 'visited', { brand: 'neurexa' }], // exactly 14 days after H1's click
  ['e17', 'S1', 'H2', '2026-10-20 12:00:00', 'sample_portal', 'sample_requested'],
  ['e18', 'WB1', 'H1', '2026-10-20 12:00:00', 'webinar', 'registered'],
  ['e19', 'WB1', 'H1', '2026-11-05 17:00:00', 'webinar', 'attended'], // after the period, within 30 days
  ['e20', 'WB1', 'H2', '2026-10-25 12:00:00', 'webinar', 'registered'], // the same webinar: H2's own touch
  ['e21', 'WB2', 'H3', '2026-09-20 12:00:00', 'webinar', 'registered'],
  ['e22', 'WB2', 'H3', '2026-09-29 17:00:00', 'webinar', 'attended'],
  ['e23', 'W1', 'H3', '2026-10-20 15:00:00', 'website', 'viewed', { content_id: 'C1' }],
  ['e24', 'W1', 'H3', '2026-11-02 15:00:00', 'website', 'downloaded', { content_id: 'C1' }],
  ['e25', 'W2', 'H1', '2026-10-03 15:00:00', 'website', 'viewed', { content_id: 'C1' }],
  ['e26', 'M8', 'H5', '2026-03-01 10:00:00', 'email', 'opened'], // H5: lapsed, never back
  ['e27', 'S2', 'H5', '2026-10-12 10:00:00', 'rep_visit', 'sample_requested'], // not engagement on a visit: H5 stays unreached
];
const interactions = events.map(([event_id, message_id, hcp_id, occurred_at, channel, event, extra]) => ({
  event_id, message_id, hcp_id, occurred_at, channel, event, brand: 'cardiora', ...extra,
}));

const answers = (survey: string, scores: Array<number | null>, at = '2026-10-02 10:00:00') =>
  scores.map((score, i) => ({ response_id: `${survey}${i}`, hcp_id: `H${(i % 5) + 1}`, brand: 'cardiora', survey, score, responded_at: at }));
const responses = [
  ...answers('nps', [10, 9, 7, 3, null]), // a missing score is not a respondent
  ...answers('nps_late', [0], '2026-11-01 00:00:00').map((r) => ({ ...r, survey: 'nps', response_id: 'late' })), // November
  ...answers('csat', [5, 4, 3, 2]),
  ...answers('ces', [2, 4, 6]),
];

const goals = [
  { hcp_id: 'H1', brand: 'cardiora', period_start: '2026-10-01', period_end: '2026-12-31', goal_points: 10 },
  { hcp_id: 'H2', brand: 'cardiora', period_start: '2026-10-16', period_end: '2026-12-31', goal_points: 4 }, // starts mid-month
  { hcp_id: 'H3', brand: 'cardiora', period_start: '2026-11-01', period_end: '2026-11-30', goal_points: 5 }, // not active in October
];

const rx = [
  { hcp_id: 'H1', brand: 'cardiora', month: '2026-10-01', nrx: 12, trx: 30, market_trx: 100 },
  { hcp_id: 'H2', brand: 'cardiora', month: '2026-10-01', nrx: 3, trx: 10, market_trx: 100 },
  { hcp_id: 'H1', brand: 'cardiora', month: '2026-09-01', nrx: 4, trx: 5, market_trx: 50 },
  { hcp_id: 'H1', brand: 'cardiora', month: '2025-10-01', nrx: 10, trx: 20, market_trx: 90 },
];

const content: FixtureRow[] = [
  { content_id: 'C1', brand: 'cardiora', approved_at: '2026-01-01 00:00:00' },
  { content_id: 'C2', brand: 'cardiora', approved_at: '2026-10-31 23:00:00' }, // available, never used
  { content_id: 'C3', brand: 'cardiora', approved_at: '2026-11-01 00:00:00' }, // approved after October
  { content_id: 'C4', brand: 'cardiora', approved_at: '2025-01-01 00:00:00', expires_at: '2026-10-01 00:00:00' }, // expired as October starts
];

const benchmarks = [
  { period: '2026-Q4', brand: 'cardiora', company: 'ours', metric: 'nps', value: 20 },
  { period: '2026-Q4', brand: 'cardiora', company: 'compa', metric: 'nps', value: 40 },
  { period: '2026-Q4', brand: 'cardiora', company: 'compb', metric: 'nps', value: 15 },
  { period: '2026-Q3', brand: 'cardiora', company: 'compa', metric: 'nps', value: 99 }, // an older study
];

const world = { hcps, interactions, responses, goals, rx, content, benchmarks };
let v: Map<string, KpiValues>;
beforeAll(async () => {
  v = await evaluateFixture(world, { period: '2026-10', asOf: '2026-12-15T00:00:00Z' });
});

const value = (kpi: string, dims = {}) => slice(v, kpi, dims).value;

describe('reference KPIs on a hand-computed world (October 2026)', () => {
  it('email open rate, CTR and CTOR count touches, not events, and never bot opens', () => {
    // Delivered in October: M2, M3, M4 (23:59:59 on the 31st), M5, M6, M7 = 6 (M1 was delivered in September).
    // Opened by a person in October: M1 (at midnight on the 1st), M3 (opened twice: one touch), M5 = 3; M2 is a bot, M4 opened in November.
    expect(value('email_open_rate')).toBeCloseTo(3 / 6, 12);
    expect(slice(v, 'email_open_rate').n).toBe(6);
    expect(value('email_ctr')).toBeCloseTo(1 / 6, 12); // clicked: M1
    expect(value('email_ctor')).toBeCloseTo(1 / 3, 12); // 1 click ÷ 3 human opens
  });

  it('a period with nothing delivered has no open rate, with a reason, in the trend', () => {
    const trend = slice(v, 'email_open_rate').trend;
    expect(trend.map((t) => t.period).slice(-2)).toEqual(['2026-09', '2026-10']);
    expect(trend.at(-2)).toMatchObject({ value: 0, n: 1 }); // September: M1 delivered, opened only in October
    expect(trend.at(-3)).toMatchObject({ period: '2026-08', value: null, n: 0, reason: 'the denominator is 0' });
    expect(trend).toHaveLength(13);
  });

  it('reach, frequency, multichannel and sample request rates', () => {
    // Targets H1, H2, H3, H5; engaged in October: H1, H2, H3 (H3 through the website; its email open is in November).
    expect(slice(v, 'reach')).toMatchObject({ value: 3 / 4, n: 4, components: { reached: 3, population: 4 } });
    expect(value('reach', { country: 'DE' })).toBe(2 / 2);
    expect(value('reach', { country: 'FR' })).toBe(1 / 2); // H3 of H3, H5 (H4 is not a target)
    expect(value('reach', { brand: 'neurexa' })).toBe(1 / 4); // H1's visit; the population has no brand
    // Engaged touches: H1 M1, V1, WB1, W2 (M2 is a bot open) = 4; H2 M3, S1, WB1 = 3 (the webinar is H2's own touch); H3 W1 = 1.
    expect(value('frequency')).toBeCloseTo(8 / 3, 12);
    // Channels: H1 email, rep_visit, webinar, website; H2 email, sample_portal, webinar; H3 website only.
    expect(value('multichannel_rate')).toBeCloseTo(2 / 3, 12);
    expect(value('sample_request_rate')).toBeCloseTo(1 / 3, 12); // H2 of the 3 reached (H5 asked too, but was not reached)
  });

  it('channel mix shares engaged touches by modality', () => {
    // All HCPs' engaged touches: M1, W2, M3, S1, W1, M5 digital (6); V1 in person (1); WB1 twice virtual (2).
    expect(value('channel_mix')).toEqual({ digital_self_service: 6 / 9, in_person: 1 / 9, virtual: 2 / 9 });
  });

  it('over-contact counts the HCPs over a channel cap in some ISO week', () => {
    // H2 got M3, M6, M7 in week 41 (cap 2); H1 one email in each of weeks 40 and 41, one visit in the month.
    expect(slice(v, 'over_contact_rate')).toMatchObject({ value: 1 / 3, n: 3 });
    // Per brand: cardiora reached H1, H2, H3 and H2 is over; neurexa reached H1 (one visit, cap 2 a month).
    expect(slice(v, 'over_contact_rate', { brand: 'cardiora' })).toMatchObject({ value: 1 / 3, n: 3 });
    expect(slice(v, 'over_contact_rate', { brand: 'neurexa' })).toMatchObject({ value: 0, n: 1 });
  });

  it('over-contact with one cap across push channels counts every push touch together', async () => {
    const base = demoKpis.find((k) => k.id === 'over_contact_rate')!;
    const kpi = { ...base, measure: { ...base.measure, per: 'month', max: 1 } } as typeof base;
    const monthly = await evaluateFixture(world, { period: '2026-10', asOf: '2026-11-01T00:00:00Z', kpis: [kpi] });
    // October push touches: H1 M1, M2 (email) and V1 (visit, neurexa) = 3 > 1; H2 M3, M6, M7 = 3 > 1;
    // H3 M4 only (delivered 31 Oct) = 1, not over. Reached: H1, H2, H3 → 2/3.
    expect(slice(monthly, 'over_contact_rate')).toMatchObject({ value: 2 / 3, n: 3 });
    // cardiora alone: H1 has M1, M2 = 2 > 1, still over → 2/3; neurexa: H1's one visit → 0/1.
    expect(slice(monthly, 'over_contact_rate', { brand: 'cardiora' })).toMatchObject({ value: 2 / 3, n: 3 });
    expect(slice(monthly, 'over_contact_rate', { brand: 'neurexa' })).toMatchObject({ value: 0, n: 1 });
  });

  it('over-contact counts only emails that reached the HCP: a bounced send is not a received touch', async () => {
    // One target HCP, email cap 2 per ISO week; week 41 of 2026 starts on Monday 5 October.
    const week = (m1: string): Event[] => [
      ['b1', 'M1', 'H1', '2026-10-05 09:00:00', 'email', 'sent'],
      ['b2', 'M1', 'H1', '2026-10-05 09:01:00', 'email', m1], // bounced (or, as a control, delivered)
      ['b3', 'M2', 'H1', '2026-10-06 09:00:00', 'email', 'sent'],
      ['b4', 'M2', 'H1', '2026-10-06 09:01:00', 'email', 'delivered'],
      ['b5', 'M2', 'H1', '2026-10-06 10:00:00', 'email', 'opened'], // H1 is reached
      ['b6', 'M3', 'H1', '2026-10-07 09:00:00', 'email', 'delivered'],
    ];
    const rows = (evs: Event[]) => evs.map(([event_id, message_id, hcp_id, occurred_at, channel, event]) => ({ event_id, message_id, hcp_id, occurred_at, channel, event, brand: 'cardiora' }));
    const kpis = [demoKpis.find((k) => k.id === 'over_contact_rate')!];
    const options = { period: '2026-10', asOf: '2026-11-01T00:00:00Z', kpis };
    const bounced = await evaluateFixture({ hcps: [hcps[0]!], interactions: rows(week('bounced')) }, options);
    // Received in week 41: M2 and M3 = 2, not more than the cap of 2 → 0 of 1 reached HCP.
    expect(slice(bounced, 'over_contact_rate')).toMatchObject({ value: 0, n: 1, components: { reached: 1, over_contacted: 0 } });
    const delivered = await evaluateFixture({ hcps: [hcps[0]!], interactions: rows(week('delivered')) }, options);
    // Control: M1 delivered too → 3 received > 2 → 1 of 1.
    expect(slice(delivered, 'over_contact_rate')).toMatchObject({ value: 1, n: 1, components: { reached: 1, over_contacted: 1 } });
  });

  it('funnels follow each pair from its first step, past the period end, within the window', () => {
    // Webinar: (H1, WB1) registered 20 Oct, attended 5 Nov; (H2, WB1) never attended; (H3, WB2) is September's.
    expect(slice(v, 'webinar_attendance_rate')).toMatchObject({ value: 1 / 2, n: 2, components: { steps: [{ name: 'registered', count: 2 }, { name: 'attended', count: 1, drop_off: 0.5 }] } });
    expect(slice(v, 'webinar_attendance_rate').provisional).toBeUndefined();
    // Downloads: (H3, C1) viewed 20 Oct, downloaded 2 Nov; (H1, C1) only viewed.
    expect(value('content_download_rate')).toBe(1 / 2);
    // H1 clicked 1 Oct 08:00 and was visited exactly 14 days later (inside the window); H3 viewed but met no rep.
    expect(slice(v, 'cross_channel_conversion')).toMatchObject({ value: 1 / 2, n: 2 });
  });

  it('content utilization counts available items used in the period', () => {
    // Available in October: C1, C2 (C3 approved in November, C4 expired as October began); used: C1.
    expect(slice(v, 'content_utilization')).toMatchObject({ value: 1 / 2, components: { numerator: 1, denominator: 2 } });
  });

  it('scores: NPS with its distribution, top-2-box CSAT, mean CES; no respondents means no value', () => {
    // NPS answers 10, 9, 7, 3 (a missing score and a November answer left out): (2 promoters − 1 detractor) ÷ 4 × 100.
    expect(slice(v, 'nps')).toMatchObject({ value: 25, n: 4, components: { promoters: 2, passives: 1, detractors: 1, distribution: { 3: 1, 7: 1, 9: 1, 10: 1 } } });
    expect(value('csat')).toBe(50); // 5 and 4 of 5, 4, 3, 2
    expect(value('ces')).toBe(4); // (2 + 4 + 6) ÷ 3
    expect(slice(v, 'intent_to_prescribe')).toMatchObject({ value: null, n: 0, reason: 'no respondents' });
  });

  it('NPS gap to the leader uses the latest study and the slice\'s own rows', () => {
    expect(slice(v, 'nps_gap_to_leader', { brand: 'cardiora' })).toMatchObject({ value: 25 - 40, components: { leader: 'compa', benchmark_period: '2026-Q4' } });
    // No study covers all brands together: the total weights each brand's gap by its respondents; here all 4 answered for cardiora.
    expect(slice(v, 'nps_gap_to_leader').value).toBe(25 - 40);
  });

  it('the engagement index averages breadth, depth and consistency over all target HCPs', () => {
    // Trailing window May–October. H1: 4 of 10 channels, 1+1+5+4+1 = 12 points of 40, 2 of 6 months (May, Oct).
    // H2: 3 channels, 1+3+4 = 8 points, 1 month. H3: 2 channels, 1+4 = 5 points, 2 months (Sep, Oct). H5: nothing since March.
    const cei = (b: number, d: number, c: number) => 100 * (0.3333 * b + 0.3333 * d + 0.3334 * c);
    const expected = (cei(0.4, 12 / 40, 2 / 6) + cei(0.3, 8 / 40, 1 / 6) + cei(0.2, 5 / 40, 2 / 6) + 0) / 4;
    expect(slice(v, 'cei').value).toBeCloseTo(expected, 10);
    expect(slice(v, 'cei').n).toBe(4);
  });

  it('goal attainment counts points from each goal\'s start, capped at 1, with the share on pace', () => {
    // H1: M1 1 + WB1 4 + W2 1 = 6 of 10 (V1 is another brand) → 0.6, 31 of 92 days elapsed: on pace.
    // H2 (from 16 Oct): S1 3 + WB1 4 = 7 of 4 → 1, on pace. H3's goal starts in November.
    // Both goals began in October (1 Oct, 16 Oct), the period evaluated: 2 new goals.
    expect(slice(v, 'goal_attainment')).toMatchObject({ n: 2, components: { goals: 2, on_pace: 2, new_goals: 2 } });
    // Elapsed by 1 Nov: H1 31 of 92 days (1 Oct to 31 Dec), H2 16 of 77 (16 Oct to 31 Dec); mean (0.33696 + 0.20779) ÷ 2 = 0.27237.
    expect(slice(v, 'goal_attainment').components.elapsed).toBeCloseTo((31 / 92 + 16 / 77) / 2, 12);
    expect(value('goal_attainment')).toBeCloseTo((0.6 + 1) / 2, 12);
  });

  it('re-engagement: lapsed for 90 days before the period start, back in the period', () => {
    // Lapsed on 1 Oct: H1 (last engaged 1 May) and H5 (1 March); H3 engaged on 29 Sep; H2, H4 have no history. H1 came back.
    expect(slice(v, 'reengagement_rate')).toMatchObject({ value: 1 / 2, components: { lapsed: 2, reengaged: 1 } });
  });

  it('stage distribution takes each target HCP\'s furthest stage in the trailing window', () => {
    // H1 consideration (click, webinar), H2 conversion (sample request), H3 consideration, H5 none.
    expect(value('stage_distribution')).toEqual({ none: 1 / 4, awareness: 0, consideration: 2 / 4, conversion: 1 / 4, retention: 0 });
    // September: H1 awareness (opens, a delivery), H2 none, H3 consideration → H1 and H2 moved up.
    expect(slice(v, 'stage_distribution').components).toMatchObject({ moved_up: 2, moved_up_share: 0.5 });
  });

  it('Rx share and NRx growth read Rx rows of their month', () => {
    expect(slice(v, 'trx_share')).toMatchObject({ value: (30 + 10) / (100 + 100), n: 2 });
    expect(slice(v, 'nrx_growth')).toMatchObject({ value: (12 + 3) / 10 - 1, components: { current: 15, comparison: 10, comparison_period: '2025-10' } });
  });
});

describe('periods the data does not cover yet', () => {
  let early: Map<string, KpiValues>;
  beforeAll(async () => {
    early = await evaluateFixture(world, { period: '2026-10', asOf: '2026-11-01T00:00:00Z' });
  });

  it('a lagging source reports its last covered period and says so', () => {
    // Rx arrives a month late: as of 1 Nov it covers September only.
    expect(early.get('trx_share')!.plan).toMatchObject({ period: { label: '2026-09' }, stale: { requested: '2026-10', source: 'rx', lag: 'P1M' } });
    expect(slice(early, 'trx_share').value).toBe(5 / 50);
  });

  it('a funnel whose window runs past the as-of date is provisional', () => {
    expect(slice(early, 'webinar_attendance_rate').provisional).toBe(true);
    expect(slice(early, 'reach').provisional).toBeUndefined();
  });
});

describe('trailing windows of a weekly report', () => {
  it('the engagement index and stages of ISO week 44 look back six months from its end', async () => {
    const week = await evaluateFixture(world, { period: '2026-W44', asOf: '2026-12-15T00:00:00Z', kpis: ['cei', 'stage_distribution'].map((id) => demoKpis.find((k) => k.id === id)!) });
    // Week 44 ends on Monday 2 Nov, so the window is 2 May – 1 Nov: H1's open of 1 May drops out, H3's open of 1 Nov comes in.
    // H1: 4 channels, 1+5+4+1 = 11 points, October only. H2: as in the monthly report. H3: email, website, webinar, 6 points, Sep–Nov.
    const cei = (b: number, d: number, c: number) => 100 * (0.3333 * b + 0.3333 * d + 0.3334 * c);
    expect(slice(week, 'cei').value).toBeCloseTo((cei(0.4, 11 / 40, 1 / 6) + cei(0.3, 8 / 40, 1 / 6) + cei(0.3, 6 / 40, 3 / 6)) / 4, 10);
    // Stages do not change from week 43 (window 26 Apr – 25 Oct): nobody moved up.
    expect(value2(week, 'stage_distribution')).toEqual({ none: 1 / 4, awareness: 0, consideration: 2 / 4, conversion: 1 / 4, retention: 0 });
    expect(slice(week, 'stage_distribution').components).toMatchObject({ moved_up: 0 });
  });
});

const value2 = (values: Map<string, KpiValues>, kpi: string) => slice(values, kpi).value;
