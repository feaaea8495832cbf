import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiValues } from '../../src/evaluate/evaluate.js';
import type { KpiSpec } from '../../src/spec/kpi.js';
import { demoKpis, evaluateFixture, slice, type FixtureRow } from '../support/engine-fixture.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../support/postgres.js';

/**
 * Next-best-action suggestions in October 2026, small enough to compute every suggestion KPI
 * by hand. H1 gets four suggestions, H2 three; one more is September's.
 */
const hcps: FixtureRow[] = [
  { hcp_id: 'H1', country: 'DE', segment: 'growth', territory: 'T1', target: true },
  { hcp_id: 'H2', country: 'FR', segment: 'maintain', territory: 'T2', target: true },
];

type Suggestion = [id: string, hcp: string, posted: string, driver: string, outcome: string | null, at: string | null, reason?: string];
const suggestions: Suggestion[] = [
  ['R1', 'H1', '2026-10-02 09:00:00', 'email_clicked', 'actioned', '2026-10-04 09:00:00'], // 2 days
  ['R2', 'H1', '2026-10-05 08:00:00', 'rx_decline', 'completed', '2026-10-10 20:00:00'], // 5.5 days
  ['R3', 'H2', '2026-10-10 09:00:00', 'email_clicked', 'dismissed', '2026-10-11 09:00:00', 'not_relevant'],
  ['R4', 'H2', '2026-10-12 09:00:00', 'new_content', 'dismissed', '2026-10-12 12:00:00', 'wrong_timing'],
  ['R5', 'H2', '2026-10-20 09:00:00', 'new_content', 'expired', '2026-11-03 09:00:00'],
  ['R6', 'H1', '2026-10-28 09:00:00', 'new_content', null, null], // still open: not answered yet
  ['R7', 'H1', '2026-09-30 23:59:59', 'email_clicked', 'actioned', '2026-10-01 10:00:00'], // September's
];
const recommendations: FixtureRow[] = suggestions.map(([recommendation_id, hcp_id, posted_at, driver, outcome, outcome_at, reason]) => ({
  recommendation_id, hcp_id, rep_id: 'REP-1', posted_at, driver, channel: 'rep_visit', outcome, outcome_at, reason: reason ?? null,
  expires_at: posted_at.replace(/^2026-(\d\d)-(\d\d)/, (_m, mo: string, d: string) => new Date(Date.UTC(2026, Number(mo) - 1, Number(d) + 14)).toISOString().slice(0, 10)),
}));

type Event = [id: string, hcp: string, at: string, channel: string, event: string, extra?: FixtureRow];
const events: Event[] = [
  ['e1', 'H1', '2026-10-06 10:00:00', 'email', 'opened'], // 2 days after R1 was actioned: R1 is followed by engagement
  ['e2', 'H1', '2026-10-20 10:00:00', 'rep_visit', 'visited'], // 9.6 days after R2 was completed (14 days after R1: too late for R1, already engaged)
  ['e3', 'H2', '2026-10-11 09:00:00', 'rep_visit', 'visited'], // at R3's dismissal itself: not after it
  ['e4', 'H2', '2026-10-11 12:00:00', 'email', 'opened', { bot: true }], // a mail scanner: not engagement
  ['e5', 'H2', '2026-10-11 13:00:00', 'email', 'delivered'], // not an engagement event
  ['e6', 'H2', '2026-10-26 09:00:00', 'webinar', 'attended'], // R3's window ends 25 Oct 09:00; R4's 26 Oct 12:00: R4 only
];
const interactions: FixtureRow[] = events.map(([event_id, hcp_id, occurred_at, channel, event, extra]) => ({
  event_id, message_id: event_id, hcp_id, occurred_at, channel, event, brand: 'cardiora', ...extra,
}));

const nba = ['suggestion_action_rate', 'suggestion_dismiss_rate', 'suggestion_time_to_action', 'engagement_after_actioned', 'engagement_after_dismissed', 'nba_engagement_lift'];
const kpis = demoKpis.filter((k) => nba.includes(k.id));

// The same hand-computed numbers on PostgreSQL, which computes `followed_by` as a join
// rather than a correlated EXISTS. CI always has PostgreSQL; elsewhere it needs Debian's package.
const engines = ['duckdb', ...(process.env.CI === 'true' || postgresAvailable() ? ['postgres' as const] : [])] as const;

describe.each(engines)('next-best-action KPIs on a hand-computed month (October 2026), on %s', (engine) => {
  let server: TestPostgres | undefined;
  let v: Map<string, KpiValues>;
  const evaluateOn = async (data: Record<string, FixtureRow[]>, options: { asOf: string; kpis: KpiSpec[] }) => evaluateFixture(data, { period: '2026-10', ...options, postgres: server?.url });
  beforeAll(async () => {
    if (engine === 'postgres') server = await startPostgres();
    v = await evaluateOn({ hcps, recommendations, interactions }, { asOf: '2026-12-15T00:00:00Z', kpis });
  }, 60_000);
  afterAll(() => server?.stop());

  it('the action rate divides the suggestions acted on by those answered, leaving open ones out', () => {
    // Posted in October and answered: R1, R2, R3, R4, R5 = 5 (R6 is open, R7 was posted in September). Acted on: R1, R2.
    expect(slice(v, 'suggestion_action_rate')).toMatchObject({ value: 2 / 5, components: { numerator: 2, denominator: 5 } });
    expect(slice(v, 'suggestion_action_rate', { driver: 'email_clicked' }).value).toBe(1 / 2); // R1 of R1, R3
    expect(slice(v, 'suggestion_action_rate', { driver: 'new_content' }).value).toBe(0 / 2); // R4, R5 (R6 open)
  });

  it('each dismiss reason is its share of all answered suggestions, and the reasons add up to the dismiss rate', () => {
    // Dismissed: R3, R4 of 5 answered.
    expect(slice(v, 'suggestion_dismiss_rate').value).toBe(2 / 5);
    // By reason the denominator stays all 5 answered suggestions (`across: [reason]`), not the reason's own rows (which would give 100 %).
    expect(slice(v, 'suggestion_dismiss_rate', { reason: 'not_relevant' })).toMatchObject({ value: 1 / 5, components: { numerator: 1, denominator: 5 } });
    expect(slice(v, 'suggestion_dismiss_rate', { reason: 'wrong_timing' }).value).toBe(1 / 5);
    // Other dimensions still split both sides: new_content has R4 dismissed of R4, R5.
    expect(slice(v, 'suggestion_dismiss_rate', { driver: 'new_content' }).value).toBe(1 / 2);
  });

  it('time to action is the mean of the days from posting to acting', () => {
    // R1: 2 days; R2: 5 days 12 hours = 5.5 → (2 + 5.5) / 2 = 3.75.
    expect(slice(v, 'suggestion_time_to_action')).toMatchObject({ value: 3.75, components: { numerator: 7.5, denominator: 2 } });
  });

  it('engagement within 14 days after an actioned and after a dismissed suggestion, and the lift between them', () => {
    // Actioned or completed: R1 (e1 two days later), R2 (e2 9.6 days later): 2 of 2.
    expect(slice(v, 'engagement_after_actioned')).toMatchObject({ value: 2 / 2, components: { numerator: 2, denominator: 2 } });
    // Dismissed: R3 has only e3 (at the dismissal, not after), a bot open, a delivery and e6 (one day past 14);
    // R4 has e6, 13 days 21 hours after: 1 of 2.
    expect(slice(v, 'engagement_after_dismissed')).toMatchObject({ value: 1 / 2, components: { numerator: 1, denominator: 2 } });
    expect(slice(v, 'nba_engagement_lift').value).toBeCloseTo(1 - 1 / 2, 12);
    expect(slice(v, 'engagement_after_actioned').provisional).toBeUndefined();
  });

  it('counts HCPs, not suggestions, when the count is of HCPs: per HCP, then across them', async () => {
    const hcpsFollowed = { ...kpis.find((k) => k.id === 'engagement_after_dismissed')!, id: 'hcps_engaged_after_dismissal', dimensions: ['driver'] };
    hcpsFollowed.measure = {
      kind: 'ratio',
      numerator: { source: 'recommendations', count: 'entities', where: { outcome: ['dismissed', 'expired'] }, followed_by: { source: 'interactions', after: 'outcome_at', within: 'P14D', engaged: true } },
      denominator: { source: 'recommendations', count: 'entities', where: { outcome: ['actioned', 'completed', 'dismissed', 'expired'] } },
    };
    const w = await evaluateOn({ hcps, recommendations, interactions }, { asOf: '2026-12-15T00:00:00Z', kpis: [hcpsFollowed] });
    // HCPs with an answered suggestion: H1, H2. Dismissed or expired and then engaged: H2 (R4; R3 and R5 were not) = 1 of 2.
    expect(slice(w, 'hcps_engaged_after_dismissal')).toMatchObject({ value: 1 / 2, components: { numerator: 1, denominator: 2 } });
    // new_content: H2 answered R4 (dismissed, then engaged) and R5: 1 of 1.
    expect(slice(w, 'hcps_engaged_after_dismissal', { driver: 'new_content' }).value).toBe(1);
    // email_clicked: H1 (R1 actioned) and H2 (R3 dismissed, not followed): 0 of 2.
    expect(slice(w, 'hcps_engaged_after_dismissal', { driver: 'email_clicked' }).value).toBe(0);
  });

  it('two suggestions answered at the same moment are each followed once: none is lost or counted twice', async () => {
    // R8: H2 dismisses a second suggestion at the very moment of R4 (12 Oct 12:00), so e6 follows both.
    const r8 = { ...recommendations.find((r) => r.recommendation_id === 'R4')!, recommendation_id: 'R8', posted_at: '2026-10-12 10:00:00', driver: 'rx_decline' };
    const w = await evaluateOn({ hcps, recommendations: [...recommendations, r8], interactions }, { asOf: '2026-12-15T00:00:00Z', kpis });
    // Dismissed: R3 (not followed), R4 and R8 (both followed by e6): 2 of 3.
    expect(slice(w, 'engagement_after_dismissed')).toMatchObject({ value: 2 / 3, components: { numerator: 2, denominator: 3 } });
    expect(slice(w, 'engagement_after_dismissed', { driver: 'rx_decline' })).toMatchObject({ value: 1, components: { numerator: 1, denominator: 1 } });
    // Actioned: unchanged, 2 of 2.
    expect(slice(w, 'engagement_after_actioned').components).toEqual({ numerator: 2, denominator: 2 });
  });

  it('engagement after a suggestion is provisional while the 14 days after the period are not covered yet', async () => {
    const early = await evaluateOn({ hcps, recommendations, interactions }, { asOf: '2026-11-10T00:00:00Z', kpis });
    // October ends 1 November; 14 days later is 15 November, after the as-of date.
    expect(slice(early, 'engagement_after_dismissed').provisional).toBe(true);
    expect(slice(early, 'suggestion_action_rate').provisional).toBeUndefined();
  });
});
