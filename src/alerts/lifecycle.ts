import type { LifecycleModel } from '../model/alert-lifecycle.js';
import { minusDuration } from '../model/duration.js';
import type { AlertState, Track } from '../spec/alert-state.js';

export type { AlertState, Track };

/**
 * What one evaluation found for one series (an alert on one slice). `period` names what was
 * judged: `2026-11`, `2026-W48`, or for a rolling window its last day (`2026-12-03`); the
 * same period judged again counts once towards `pending`. `value` and `threshold` are in the
 * KPI's unit; `detail` is the sentence a notice shows.
 */
export type Observation =
  | { kind: 'breach'; value: number; threshold: number; period: string; detail: string }
  | { kind: 'ok'; value: number; period: string; /** What the value is against the condition, for a recovery message. */ detail?: string }
  | { kind: 'no_data'; period: string; reason: string }
  | { kind: 'error'; reason: string };

/** What is told. `firing` and `renotify` carry the episode; `error` and `no_data` their own spell. */
export type Transition = 'firing' | 'renotify' | 'recovered' | 'error' | 'no_data';

/**
 * A notice to send. Its delivery key is (alert, episode, recipient, transition, sequence):
 * each is sent at most once to each recipient, however often the evaluation is repeated.
 * `episode` is the firing episode for `firing`, `renotify` and `recovered`; for `error` and
 * `no_data` it is the spell in that state (`alert|slice|entered at`), so that each entry into
 * the state is told once, also while an episode is open.
 */
export interface Notice {
  transition: Transition;
  episode: string;
  /** 0, except for `renotify`: 1 for the first reminder of an episode, 2 for the next… */
  sequence: number;
}

export interface Step {
  track: Track;
  notify?: Notice;
}

/** The series a track follows: the alert id and the slice key (`sliceKey`). */
export interface TrackKey {
  alert: string;
  slice: string;
}

const judged = (value: number, period: string) => ({ ...(Number.isFinite(value) ? { last_value: value } : {}), last_period: period });

/** Whether the open episode's last notice is at least `renotify` old. */
function renotifyDue(prev: Track, at: Date, lifecycle: LifecycleModel): boolean {
  if (lifecycle.renotify === undefined || prev.notified_at === undefined) return false;
  return minusDuration(at, lifecycle.renotify).getTime() >= Date.parse(prev.notified_at);
}

/** A breach inside an open episode: still firing; a reminder when `renotify` has passed since the last notice. */
function stillFiring(prev: Track & { episode: string }, obs: Extract<Observation, { kind: 'breach' }>, at: Date, lifecycle: LifecycleModel): Step {
  const now = at.toISOString();
  const track: Track = {
    state: 'firing', since: prev.state === 'firing' ? prev.since : now, pending: 0, episode: prev.episode,
    ...(prev.notified_at !== undefined ? { notified_at: prev.notified_at } : {}), renotified: prev.renotified ?? 0, ...judged(obs.value, obs.period),
  };
  if (!renotifyDue(prev, at, lifecycle)) return { track };
  const sequence = (prev.renotified ?? 0) + 1;
  return { track: { ...track, notified_at: now, renotified: sequence }, notify: { transition: 'renotify', episode: prev.episode, sequence } };
}

/** A breach with no episode open: pending until `pending` consecutive periods are in breach, then a new episode fires. */
function breach(prev: Track, obs: Extract<Observation, { kind: 'breach' }>, at: Date, lifecycle: LifecycleModel, key: TrackKey): Step {
  if (prev.episode !== undefined) return stillFiring({ ...prev, episode: prev.episode }, obs, at, lifecycle);
  const now = at.toISOString();
  // The same period judged again (a second run the same day) is one period in breach, not two.
  const count = prev.state === 'pending' ? prev.pending + (prev.last_period === obs.period ? 0 : 1) : 1;
  if (count < lifecycle.pending) {
    return { track: { state: 'pending', since: prev.state === 'pending' ? prev.since : now, pending: count, ...judged(obs.value, obs.period) } };
  }
  const episode = `${key.alert}|${key.slice}|${now}`;
  return {
    track: { state: 'firing', since: now, pending: 0, episode, notified_at: now, renotified: 0, ...judged(obs.value, obs.period) },
    notify: { transition: 'firing', episode, sequence: 0 },
  };
}

/** A value within bounds: ok; an open episode ends here, told when `recovery` is on. */
function ok(prev: Track, obs: Extract<Observation, { kind: 'ok' }>, at: Date, lifecycle: LifecycleModel): Step {
  const track: Track = { state: 'ok', since: prev.state === 'ok' ? prev.since : at.toISOString(), pending: 0, ...judged(obs.value, obs.period) };
  if (prev.episode === undefined || !lifecycle.recovery) return { track };
  return { track, notify: { transition: 'recovered', episode: prev.episode, sequence: 0 } };
}

/**
 * No value to judge, or no evaluation: the track enters `no_data` or `error`, told once per
 * entry when `tell` is on. An open episode stays open (nothing says the breach is over); the
 * next breach continues it and the next ok ends it. A pending count starts again.
 */
function unjudged(state: 'no_data' | 'error', prev: Track, at: Date, tell: boolean, key: TrackKey): Step {
  const entering = prev.state !== state;
  const since = entering ? at.toISOString() : prev.since;
  const track: Track = { ...prev, state, since, pending: 0 };
  if (!entering || !tell) return { track };
  return { track, notify: { transition: state, episode: `${key.alert}|${key.slice}|${since}`, sequence: 0 } };
}

/**
 * One evaluation of one series: the track after it, and the notice to send if any. Pure:
 * the same track, observation, instant and lifecycle always give the same step. A series
 * never seen before starts `ok`.
 */
export function step(prev: Track | undefined, obs: Observation, at: Date, lifecycle: LifecycleModel, key: TrackKey): Step {
  const before: Track = prev ?? { state: 'ok', since: at.toISOString(), pending: 0 };
  switch (obs.kind) {
    case 'breach': return breach(before, obs, at, lifecycle, key);
    case 'ok': return ok(before, obs, at, lifecycle);
    case 'no_data': return unjudged('no_data', before, at, lifecycle.onNoData, key);
    case 'error': return unjudged('error', before, at, lifecycle.onError, key);
  }
}
