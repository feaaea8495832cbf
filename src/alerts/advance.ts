import type { LifecycleModel } from '../model/alert-lifecycle.js';
import type { AlertStateFile } from '../spec/alert-state.js';
import { step, type Notice, type Observation } from './lifecycle.js';
import { trackKey } from './slice-key.js';

/** One series judged in an evaluation: the alert, the slice key (`sliceKey`), what was found and the alert's lifecycle. */
export interface Evaluation {
  alert: string;
  slice: string;
  observation: Observation;
  lifecycle: LifecycleModel;
}

/** A notice with the series it is about, in the order the evaluations were given. */
export interface SeriesNotice extends Notice {
  alert: string;
  slice: string;
}

/**
 * One evaluation of every alert: each series observed takes its step, and the state file
 * its new tracks. A series of an alert in `alerts` that was not observed keeps its track
 * unchanged (an open episode stays open until the series is judged again); the tracks of
 * an alert no longer in `alerts` (its file removed or renamed) are dropped, with their
 * episodes, without a notice. Pure: the same inputs give the same state and notices.
 */
export function advance(state: AlertStateFile, evaluations: readonly Evaluation[], at: Date, alerts: ReadonlySet<string>): { state: AlertStateFile; notices: SeriesNotice[] } {
  const tracks = Object.fromEntries(Object.entries(state.tracks).filter(([key]) => alerts.has(key.slice(0, key.indexOf('|')))));
  const notices: SeriesNotice[] = [];
  const seen = new Set<string>();
  for (const { alert, slice, observation, lifecycle } of evaluations) {
    const key = trackKey(alert, slice);
    // Two observations of one series in one run would make its state depend on their order: a bug in the caller.
    if (seen.has(key)) throw new Error(`the series ${key} is observed twice in one evaluation`);
    seen.add(key);
    const next = step(tracks[key], observation, at, lifecycle, { alert, slice });
    tracks[key] = next.track;
    if (next.notify) notices.push({ alert, slice, ...next.notify });
  }
  return { state: { version: state.version, evaluated_at: at.toISOString(), tracks }, notices };
}
