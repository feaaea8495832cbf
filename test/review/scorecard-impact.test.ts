import { describe, expect, it } from 'vitest';
import { scorecardImpact, type RenderedSide } from '../../src/review/impact.js';
import type { KpiRow, RecipientScorecard } from '../../src/scorecard/view.js';

/** A recipient's scorecard with only what the comparison reads: the recipient and each KPI's line. */
function side(email: string, rows: Array<[id: string, display: string, status: string, target?: string]>, text: string | null = rows.map((r) => r.join(' ')).join('\n')): RenderedSide {
  const kpiRows = rows.map(([id, display, status, target]) => ({ id, name: 'Click-through rate', display, period: '2026-10', status: { status, symbol: '', label: status }, ...(target ? { target: { display: target } } : {}) }) as unknown as KpiRow);
  return { card: { recipient: { name: email.split('@')[0]!, email, filter: {} }, groups: [{ id: 'all', title: 'KPIs', rows: kpiRows }] } as unknown as RecipientScorecard, text };
}

describe('one scorecard\'s impact from both sides rendered', () => {
  it('counts a recipient whose text differs, with the KPI lines that differ, and a flip only where the status moves', () => {
    const base = [side('a@x', [['reach', '41.9%', 'red', '60.0%'], ['nps', '31', 'green']]), side('b@x', [['reach', '29.5%', 'red', '60.0%']]), side('c@x', [['reach', '50.0%', 'green', '40.0%']])];
    const head = [side('a@x', [['reach', '41.9%', 'green', '30.0%'], ['nps', '31', 'green']]), side('b@x', [['reach', '29.5%', 'amber', '30.0%']]), side('c@x', [['reach', '50.0%', 'green', '40.0%']])];
    const { summary, recipients } = scorecardImpact('brand_monthly', '2026-10', base, head, new Map());
    // a and b: reach's target and status change (2 flips); c: nothing.
    expect(summary).toEqual({ scorecard: 'brand_monthly', period: '2026-10', audience: 3, kpis_changed: 1, status_flips: 2, recipients_affected: 2 });
    expect(recipients.map((r) => `${r.email}: ${r.reasons.join(', ')}`)).toEqual(['a@x: reach', 'b@x: reach']);
  });

  it('a recipient who gets the email on one side only is affected; one skipped on both sides is not', () => {
    const base = [side('a@x', [['reach', '—', 'insufficient_data']], null), side('b@x', [['reach', '—', 'insufficient_data']], null), side('gone@x', [['reach', '41.9%', 'red']])];
    const head = [side('a@x', [['reach', '41.9%', 'red']]), side('b@x', [['reach', '—', 'insufficient_data']], null), side('new@x', [['reach', '41.9%', 'red']])];
    const { summary, recipients } = scorecardImpact('rep_weekly', '2026-W43', base, head, new Map());
    expect(recipients.map((r) => `${r.email}: ${r.reasons.join(', ')}`)).toEqual(['a@x: gets it now (it was skipped)', 'new@x: new recipient', 'gone@x: no longer receives it']);
    expect(summary).toMatchObject({ audience: 3, recipients_affected: 3, status_flips: 0 });
  });

  it('a renamed KPI with the same line is no change; a scorecard added or removed says so', () => {
    const renamed = scorecardImpact('brand_monthly', '2026-10', [side('a@x', [['email_ctr', '2.1%', 'green']], 'same')], [side('a@x', [['email_click_rate', '2.1%', 'green']], 'same')], new Map([['email_click_rate', 'email_ctr']]));
    expect(renamed.summary).toMatchObject({ kpis_changed: 0, recipients_affected: 0 });
    expect(scorecardImpact('new_one', '2026-10', [], [side('a@x', [['reach', '41.9%', 'red']])], new Map()).summary).toMatchObject({ change: 'added', audience: 1, recipients_affected: 1 });
    expect(scorecardImpact('old_one', '2026-Q3', [side('a@x', [['reach', '41.9%', 'red']])], [], new Map()).summary).toMatchObject({ change: 'removed', audience: 1, recipients_affected: 1 });
  });
});
