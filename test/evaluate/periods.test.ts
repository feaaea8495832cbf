import { describe, expect, it } from 'vitest';
import type { KpiSpec } from '../../src/spec/kpi.js';
import { demoKpis, demoProject, evaluateFixture, slice } from '../support/engine-fixture.js';

const kpi = (id: string) => demoKpis.find((k) => k.id === id)!;
const hcps = [{ hcp_id: 'H1', target: true, country: 'DE' }, { hcp_id: 'H2', target: true, country: 'FR' }];
const email = (touch: string, hcp: string, delivered: string, opened?: string) => [
  { event_id: `${touch}d`, message_id: touch, hcp_id: hcp, occurred_at: delivered, channel: 'email', event: 'delivered', brand: 'cardiora' },
  ...(opened ? [{ event_id: `${touch}o`, message_id: touch, hcp_id: hcp, occurred_at: opened, channel: 'email', event: 'opened', brand: 'cardiora' }] : []),
];

describe('periods in the engine', () => {
  it('ISO week 53 runs from Monday 28 Dec 2026 to Sunday 3 Jan 2027', async () => {
    const interactions = [
      ...email('M1', 'H1', '2026-12-28 00:00:00', '2027-01-03 23:59:59'), // both in 2026-W53
      ...email('M2', 'H2', '2027-01-03 12:00:00', '2027-01-04 00:00:00'), // opened in 2027-W01
      ...email('M3', 'H2', '2026-12-27 23:59:59'), // Sunday of 2026-W52
    ];
    const v = await evaluateFixture({ hcps, interactions }, { period: '2026-W53', asOf: '2027-02-01T00:00:00Z', kpis: [kpi('email_open_rate')] });
    // Delivered in W53: M1, M2 = 2; opened in W53: M1 = 1.
    expect(slice(v, 'email_open_rate')).toMatchObject({ value: 1 / 2, n: 2 });
    expect(slice(v, 'email_open_rate').trend.slice(-2)).toMatchObject([{ period: '2026-W52', value: 0, n: 1 }, { period: '2026-W53', value: 0.5 }]);
  });

  it('a fiscal year starting in November makes 2026-Q1 span the year end', async () => {
    const project = { ...demoProject, calendar: { week_start: 'monday' as const, fiscal_year_start: 11 } };
    const interactions = [
      ...email('M1', 'H1', '2026-10-31 23:59:59', '2026-11-01 00:00:00'), // delivered in 2025-Q4 (Aug–Oct 2026), opened in 2026-Q1
      ...email('M2', 'H1', '2026-11-01 00:00:00', '2026-12-31 12:00:00'),
      ...email('M3', 'H2', '2027-01-31 23:59:59', '2027-02-01 00:00:00'), // opened in 2026-Q2
    ];
    const v = await evaluateFixture({ hcps, interactions }, { period: '2026-Q1', asOf: '2027-03-01T00:00:00Z', kpis: [kpi('email_open_rate')], project });
    // 2026-Q1 (Nov 2026 – Jan 2027): delivered M2, M3 = 2; opened M1, M2 = 2.
    expect(slice(v, 'email_open_rate')).toMatchObject({ value: 2 / 2, n: 2 });
    expect(v.get('email_open_rate')!.plan.period).toEqual({ label: '2026-Q1', start: '2026-11-01T00:00:00.000Z', end: '2027-02-01T00:00:00.000Z' });
    expect(slice(v, 'email_open_rate').trend.at(-2)).toMatchObject({ period: '2025-Q4', value: 0, n: 1 });
  });

  it('a funnel over a fiscal quarter anchors each pair in the quarter of its first step', async () => {
    const project = { ...demoProject, calendar: { week_start: 'monday' as const, fiscal_year_start: 11 } };
    const webinar = (id: string, hcp: string, touch: string, at: string, event: string) => ({ event_id: id, message_id: touch, hcp_id: hcp, occurred_at: at, channel: 'webinar', event, brand: 'cardiora' });
    const interactions = [
      webinar('a', 'H1', 'WB1', '2026-11-10 09:00:00', 'registered'), webinar('b', 'H1', 'WB1', '2026-11-20 17:00:00', 'attended'),
      webinar('c', 'H2', 'WB2', '2027-01-31 09:00:00', 'registered'), webinar('d', 'H2', 'WB2', '2027-02-03 17:00:00', 'attended'), // attended after the quarter, within 30 days
      webinar('e', 'H1', 'WB4', '2026-12-01 09:00:00', 'registered'), // never attended
      webinar('f', 'H2', 'WB3', '2026-10-30 09:00:00', 'registered'), webinar('g', 'H2', 'WB3', '2026-11-02 17:00:00', 'attended'), // 2025-Q4's cohort
    ];
    const v = await evaluateFixture({ hcps, interactions }, { period: '2026-Q1', asOf: '2027-03-15T00:00:00Z', kpis: [kpi('webinar_attendance_rate')], project });
    // 2026-Q1 (Nov 2026 – Jan 2027) cohort: (H1, WB1), (H2, WB2), (H1, WB4) = 3; attended: WB1, WB2 = 2.
    expect(slice(v, 'webinar_attendance_rate')).toMatchObject({ value: 2 / 3, n: 3 });
    // 2025-Q4 (Aug – Oct 2026): (H2, WB3), attended 2 Nov → 1/1.
    expect(slice(v, 'webinar_attendance_rate').trend.at(-2)).toMatchObject({ period: '2025-Q4', value: 1, n: 1 });
  });

  it('a derived KPI computes its formula per slice and period, and says why when it cannot', async () => {
    const ratio: KpiSpec = { ...kpi('email_open_rate'), id: 'clicks_per_open', measure: { kind: 'derived', expression: 'email_ctr / email_open_rate * 100' }, dimensions: ['country'] };
    const interactions = [
      ...email('M1', 'H1', '2026-10-01 09:00:00', '2026-10-01 10:00:00'),
      { event_id: 'M1c', message_id: 'M1', hcp_id: 'H1', occurred_at: '2026-10-01 11:00:00', channel: 'email', event: 'clicked', brand: 'cardiora' },
      ...email('M2', 'H1', '2026-10-02 09:00:00', '2026-10-02 10:00:00'),
      ...email('M3', 'H2', '2026-10-03 09:00:00'),
    ];
    const v = await evaluateFixture({ hcps, interactions }, { period: '2026-10', asOf: '2026-11-01T00:00:00Z', kpis: [kpi('email_ctr'), kpi('email_open_rate'), ratio] });
    // Total: CTR 1/3, open rate 2/3 → 50. DE: 1/2 ÷ 2/2 → 50. FR: CTR 0, open rate 0 → division by zero.
    expect(slice(v, 'clicks_per_open').value).toBeCloseTo(50, 12);
    expect(slice(v, 'clicks_per_open', { country: 'DE' }).value).toBeCloseTo(50, 12);
    expect(slice(v, 'clicks_per_open', { country: 'FR' })).toMatchObject({ value: null, reason: 'division by zero' });
    expect(slice(v, 'clicks_per_open').trend.at(-2)).toMatchObject({ period: '2026-09', value: null, reason: 'email_ctr has no value' });
  });
});
