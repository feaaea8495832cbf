import type { Transition } from './lifecycle.js';

/**
 * One alert email, as the templates read it (`templates/alert.*`): one notice of one series
 * to one recipient. Every text here is data (a KPI name, a slice value, a feed's column) and
 * is escaped by the templates.
 */
export interface AlertMessage {
  /** `alert`: a KPI watched by `alerts/<id>.yaml`; `feed`: a data feed's monitor, told to its owners. */
  kind: 'alert' | 'feed';
  /** The alert id, or the feed's source. */
  id: string;
  /** The alert's title, or "Interactions feed". */
  title: string;
  /** What the alert is for and what to do when it fires. */
  description?: string;
  transition: Transition;
  /** "Firing", "Still firing (reminder 2)", "Recovered", "No data", "Could not be evaluated". */
  transition_label: string;
  /** The reminder's number (renotify), else 0. */
  sequence: number;
  episode: string;
  recipient: { name: string; email: string };
  /** The KPI's name, or the check ("daily volume"). */
  what_label: string;
  /** "Brand neurexa", "All". */
  slice_label: string;
  /** One sentence: what crossed, its value against the threshold; or why there is nothing to judge. */
  detail: string;
  /** The period judged (`2026-10`, a day for a feed). */
  period?: string;
  /** When the episode (or the no-data or error spell) began, ISO, and as words ("4 Dec 2026"). */
  since: string;
  since_display: string;
  /** The scorecards that show this KPI in this slice, with the period they would show now. */
  scorecards: Array<{ id: string; title: string; period: string }>;
  audit: { config_hash: string; snapshot_id: string; snapshot_checksum: string; evaluated_at: string };
}

/** The words for a transition in a subject and a heading. */
export function transitionLabel(transition: Transition, sequence: number): string {
  switch (transition) {
    case 'firing': return 'Firing';
    case 'renotify': return `Still firing (reminder ${sequence})`;
    case 'recovered': return 'Recovered';
    case 'no_data': return 'No data';
    case 'error': return 'Could not be evaluated';
  }
}
