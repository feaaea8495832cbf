import { Type, type Static } from '@sinclair/typebox';
import { closed, Literals } from './common.js';

/** The only state-file version this release reads and writes. */
export const ALERT_STATE_VERSION = 'alert-state/v1';

/** An instant as `Date.toISOString()` writes it: UTC, to the millisecond. */
export const INSTANT_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$';
const Instant = (description: string) => Type.String({ pattern: INSTANT_PATTERN, description, examples: ['2026-12-04T06:00:00.000Z'] });

/** A data feed's series: its source and the check (`interactions|freshness`). */
export const FEED_KEY_PATTERN = '^[a-z][a-z0-9_]*\\|(freshness|volume|schema|checks)$';

export const ALERT_STATES = ['ok', 'pending', 'firing', 'no_data', 'error'] as const;

const TrackSchema = Type.Object({
  state: Literals(ALERT_STATES, { description: '`ok`; `pending`: in breach, not yet for long enough to fire; `firing`: an episode is open and was told; `no_data`: nothing to judge; `error`: the evaluation failed or its data was blocked.' }),
  since: Instant('When the track entered its state.'),
  pending: Type.Integer({ minimum: 0, description: 'Consecutive periods judged in breach while pending; 0 in every other state.' }),
  episode: Type.Optional(Type.String({ minLength: 1, description: 'The open firing episode: `alert|slice|first fired at`. It stays open through `error` and `no_data` and ends with the next `ok`.', examples: ['email_opens_collapse|brand=Neurexa|2026-12-04T06:00:00.000Z'] })),
  notified_at: Type.Optional(Instant('When the open episode was last told (fired or re-notified); re-notifying counts from here.')),
  renotified: Type.Optional(Type.Integer({ minimum: 0, description: 'How many times the open episode was re-notified: the sequence of the last `renotify` notice.' })),
  last_value: Type.Optional(Type.Number({ description: 'The last value judged (breach or ok), in the KPI\'s unit.' })),
  last_period: Type.Optional(Type.String({ minLength: 1, description: 'The period of the last value judged, e.g. `2026-11`: a period judged again does not count twice towards `pending`.' })),
}, { ...closed, description: 'One watched series: an alert on one slice.' });

/** One watched series (an alert on one slice) between evaluations: plain JSON. */
export type Track = Static<typeof TrackSchema>;
export type AlertState = Track['state'];

export const AlertStateSchema = Type.Object({
  version: Type.Literal(ALERT_STATE_VERSION, { description: 'State file format version.' }),
  evaluated_at: Instant('When the alerts were last evaluated.'),
  tracks: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*\\|.+$' }), TrackSchema, {
    description: 'Each series by `alert|kpi|slice`, e.g. `email_opens_collapse|email_open_rate|brand=neurexa` or `email_opens_collapse|email_open_rate|total`.',
  }),
  owed: Type.Optional(Type.Array(Type.Object({
    kind: Literals(['alert', 'feed'] as const, { description: 'An alert\'s KPI or a data feed.' }),
    id: Type.String({ minLength: 1 }),
    episode: Type.String({ minLength: 1 }),
    transition: Literals(['firing', 'renotify', 'recovered', 'error', 'no_data'] as const, { description: 'What is told.' }),
    sequence: Type.Integer({ minimum: 0 }),
    recipient: Type.Object({ name: Type.String(), email: Type.String({ minLength: 1 }) }),
  }, { additionalProperties: true, description: 'One alert email as it will be rendered (every key of an alert message).' }), {
    description: 'Emails told but not yet known to be delivered: written before sending and kept until the delivery ledger says sent, so a failed or interrupted send is sent by the next run, never lost and never told under a new episode.',
  })),
  feeds: Type.Optional(Type.Record(Type.String({ pattern: FEED_KEY_PATTERN }), TrackSchema, {
    description: 'Each data feed\'s checks by `source|check`, e.g. `interactions|freshness`: told to the source\'s owners (`owners` in kpiops.yaml).',
  })),
}, {
  ...closed,
  $id: 'https://kpiops.dev/schemas/alert-state.schema.json',
  title: 'kpiops alert state (alert-state/v1)',
  description: 'Where each alert\'s series stands between evaluations, so that a state change is told once: written by `kpiops alert`, read back by its next run.',
});

/**
 * The alert state file.
 *
 * ```json
 * {
 *   "version": "alert-state/v1",
 *   "evaluated_at": "2026-12-04T06:00:00.000Z",
 *   "tracks": {
 *     "email_opens_collapse|brand=Neurexa": {
 *       "state": "firing", "since": "2026-12-04T06:00:00.000Z", "pending": 0,
 *       "episode": "email_opens_collapse|brand=Neurexa|2026-12-04T06:00:00.000Z",
 *       "notified_at": "2026-12-04T06:00:00.000Z", "renotified": 0,
 *       "last_value": 0.12, "last_period": "2026-11"
 *     }
 *   }
 * }
 * ```
 */
export type AlertStateFile = Static<typeof AlertStateSchema>;
