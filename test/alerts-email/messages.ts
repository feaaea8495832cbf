import type { AlertMessage } from '../../src/alerts/message.js';

const EPISODE = 'email_opens_collapse|brand=neurexa|2026-12-04T06:00:00.000Z';

/** The demo alert firing for Luca's brand: what `kpiops alert` would hand over on 4 Dec 2026. */
export const firing = (over: Partial<AlertMessage> = {}): AlertMessage => ({
  kind: 'alert',
  id: 'email_opens_collapse',
  title: 'Email opens collapse',
  description: "A brand's email open rate fell further in a month than it has moved month to month\nbefore: check the sender reputation, the subject lines and the list before the next send.",
  transition: 'firing',
  transition_label: 'Firing',
  sequence: 0,
  episode: EPISODE,
  recipient: { name: 'Luca Bianchi', email: 'luca.bianchi@demo-pharma.example' },
  what_label: 'Email open rate',
  slice_label: 'Brand neurexa',
  detail: 'Email open rate fell 9.0 pp from 21.0% in 2026-10 to 12.0% in 2026-11, more than 3 spreads (3 × 2.5 pp = 7.5 pp).',
  period: '2026-11',
  since: '2026-12-04T06:00:00.000Z',
  since_display: '4 Dec 2026',
  scorecards: [{ id: 'brand_monthly', title: 'Brand monthly scorecard', period: '2026-11' }],
  audit: { config_hash: 'c'.repeat(64), snapshot_id: 'demo-2026-12-04', snapshot_checksum: 'd'.repeat(64), evaluated_at: '2026-12-04T06:00:00.000Z' },
  ...over,
});

/** The same episode, recovered on 4 Jan 2027. */
export const recovered = (over: Partial<AlertMessage> = {}): AlertMessage => firing({
  transition: 'recovered',
  transition_label: 'Recovered',
  detail: 'Email open rate is back within bounds: 20.5% in 2026-12, a move of +8.5 pp from 12.0% in 2026-11.',
  period: '2026-12',
  audit: { config_hash: 'c'.repeat(64), snapshot_id: 'demo-2027-01-04', snapshot_checksum: 'e'.repeat(64), evaluated_at: '2027-01-04T06:00:00.000Z' },
  scorecards: [{ id: 'brand_monthly', title: 'Brand monthly scorecard', period: '2026-12' }],
  ...over,
});

/** The first reminder of the episode, a week after it fired. */
export const reminder = (over: Partial<AlertMessage> = {}): AlertMessage => firing({ transition: 'renotify', transition_label: 'Still firing (reminder 1)', sequence: 1, ...over });
