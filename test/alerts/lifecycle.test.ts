import { describe, expect, it } from 'vitest';
import { step, type Observation, type Step, type Track } from '../../src/alerts/lifecycle.js';
import type { LifecycleModel } from '../../src/model/alert-lifecycle.js';

const KEY = { alert: 'email_opens_collapse', slice: 'brand=Neurexa' };
const FULL: LifecycleModel = { pending: 2, renotify: 'P7D', recovery: true, onError: true, onNoData: true };
const at = (day: string) => new Date(`${day}T06:00:00.000Z`);
const breach = (value: number, period: string): Observation => ({ kind: 'breach', value, threshold: 0.2, period, detail: `opens at ${value}` });
const ok = (value: number, period: string): Observation => ({ kind: 'ok', value, period });

/** Runs a series of (day, observation) through `step`, returning every step. */
function run(series: Array<[string, Observation]>, lifecycle: LifecycleModel = FULL, start?: Track): Step[] {
  const steps: Step[] = [];
  let track = start;
  for (const [day, obs] of series) {
    const next = step(track, obs, at(day), lifecycle, KEY);
    steps.push(next);
    track = next.track;
  }
  return steps;
}

describe('the alert lifecycle over one synthetic series', () => {
  const EPISODE = 'email_opens_collapse|brand=Neurexa|2026-03-01T06:00:00.000Z';
  const steps = run([
    ['2026-01-01', ok(0.3, '2025-12')], //             0
    ['2026-02-01', breach(0.12, '2026-01')], //        1 first period in breach: pending 1 of 2
    ['2026-02-02', breach(0.12, '2026-01')], //        2 the same period judged again: still 1
    ['2026-03-01', breach(0.11, '2026-02')], //        3 second period in breach: fires
    ['2026-03-05', breach(0.11, '2026-02')], //        4 4 days since the notice < 7: quiet
    ['2026-03-08', breach(0.1, '2026-02')], //         5 03-08 − 7 days = 03-01 ≥ last notice 03-01: reminder 1
    ['2026-03-10', { kind: 'error', reason: 'the interactions table is blocked' }], // 6 told once
    ['2026-03-11', { kind: 'error', reason: 'the interactions table is blocked' }], // 7 still error: quiet
    ['2026-03-15', breach(0.1, '2026-02')], //         8 back to firing; 03-15 − 7 = 03-08 ≥ last notice 03-08: reminder 2
    ['2026-03-16', { kind: 'no_data', period: '2026-03', reason: 'no emails were sent' }], // 9 told once
    ['2026-04-01', ok(0.31, '2026-03')], //            10 the episode ends: recovered
    ['2026-04-02', ok(0.31, '2026-03')], //            11 quiet
  ]);

  it('a value within bounds is ok and tells nothing', () => {
    expect(steps[0]).toEqual({ track: { state: 'ok', since: '2026-01-01T06:00:00.000Z', pending: 0, last_value: 0.3, last_period: '2025-12' } });
  });

  it('the first period in breach is pending, and judging the same period again does not count it twice', () => {
    const pending = { state: 'pending', since: '2026-02-01T06:00:00.000Z', pending: 1, last_value: 0.12, last_period: '2026-01' };
    expect(steps[1]).toEqual({ track: pending });
    expect(steps[2]).toEqual({ track: pending });
  });

  it('the second consecutive period in breach fires, told once', () => {
    expect(steps[3]).toEqual({
      track: { state: 'firing', since: '2026-03-01T06:00:00.000Z', pending: 0, episode: EPISODE, notified_at: '2026-03-01T06:00:00.000Z', renotified: 0, last_value: 0.11, last_period: '2026-02' },
      notify: { transition: 'firing', episode: EPISODE, sequence: 0 },
    });
    expect(steps[4]!.notify).toBeUndefined();
    expect(steps[4]!.track).toMatchObject({ state: 'firing', since: '2026-03-01T06:00:00.000Z', episode: EPISODE });
  });

  it('a still-firing episode is told again once `renotify` has passed since the last notice', () => {
    expect(steps[5]!.notify).toEqual({ transition: 'renotify', episode: EPISODE, sequence: 1 });
    expect(steps[5]!.track).toMatchObject({ state: 'firing', notified_at: '2026-03-08T06:00:00.000Z', renotified: 1, last_value: 0.1 });
  });

  it('an error is told once per entry and keeps the episode open', () => {
    expect(steps[6]).toEqual({
      track: { state: 'error', since: '2026-03-10T06:00:00.000Z', pending: 0, episode: EPISODE, notified_at: '2026-03-08T06:00:00.000Z', renotified: 1, last_value: 0.1, last_period: '2026-02' },
      notify: { transition: 'error', episode: 'email_opens_collapse|brand=Neurexa|2026-03-10T06:00:00.000Z', sequence: 0 },
    });
    expect(steps[7]).toEqual({ track: steps[6]!.track });
  });

  it('a breach after the error continues the same episode, with the reminder that had come due', () => {
    expect(steps[8]!.notify).toEqual({ transition: 'renotify', episode: EPISODE, sequence: 2 });
    expect(steps[8]!.track).toMatchObject({ state: 'firing', since: '2026-03-15T06:00:00.000Z', episode: EPISODE, renotified: 2 });
  });

  it('no data is told once and keeps the last judged value', () => {
    expect(steps[9]).toEqual({
      track: { state: 'no_data', since: '2026-03-16T06:00:00.000Z', pending: 0, episode: EPISODE, notified_at: '2026-03-15T06:00:00.000Z', renotified: 2, last_value: 0.1, last_period: '2026-02' },
      notify: { transition: 'no_data', episode: 'email_opens_collapse|brand=Neurexa|2026-03-16T06:00:00.000Z', sequence: 0 },
    });
  });

  it('the next ok ends the episode with a recovery notice, then is quiet', () => {
    expect(steps[10]).toEqual({
      track: { state: 'ok', since: '2026-04-01T06:00:00.000Z', pending: 0, last_value: 0.31, last_period: '2026-03' },
      notify: { transition: 'recovered', episode: EPISODE, sequence: 0 },
    });
    expect(steps[11]).toEqual({ track: { ...steps[10]!.track } });
  });

  it('every notice has its own delivery key', () => {
    const keys = steps.flatMap((s) => (s.notify ? [`${s.notify.episode}/${s.notify.transition}/${s.notify.sequence}`] : []));
    expect(keys).toHaveLength(6); // firing, renotify 1, error, renotify 2, no_data, recovered, and nothing else
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('lifecycle settings', () => {
  const ONCE: LifecycleModel = { pending: 1, recovery: true, onError: true, onNoData: false };

  it('pending 1 fires at the first breach of a series never seen before', () => {
    const [first] = run([['2026-03-01', breach(0.1, '2026-02')]], ONCE);
    expect(first!.notify).toEqual({ transition: 'firing', episode: 'email_opens_collapse|brand=Neurexa|2026-03-01T06:00:00.000Z', sequence: 0 });
  });

  it('without renotify a firing episode is never told again', () => {
    const steps = run([['2026-03-01', breach(0.1, '2026-02')], ['2026-06-01', breach(0.1, '2026-05')]], ONCE);
    expect(steps[1]!.notify).toBeUndefined();
  });

  it('a pending series that comes back within bounds is ok again, silently, and counts afresh', () => {
    const steps = run([['2026-02-01', breach(0.1, '2026-01')], ['2026-03-01', ok(0.3, '2026-02')], ['2026-04-01', breach(0.1, '2026-03')]]);
    expect(steps.map((s) => [s.track.state, s.track.pending, s.notify])).toEqual([['pending', 1, undefined], ['ok', 0, undefined], ['pending', 1, undefined]]);
  });

  it('an error between two breaches starts the pending count again', () => {
    const steps = run([['2026-02-01', breach(0.1, '2026-01')], ['2026-02-10', { kind: 'error', reason: 'x' }], ['2026-03-01', breach(0.1, '2026-02')]]);
    expect(steps[2]!.track).toMatchObject({ state: 'pending', pending: 1 });
  });

  it('with recovery off the episode ends silently, and the next breach opens a new one', () => {
    const steps = run([['2026-03-01', breach(0.1, '2026-02')], ['2026-04-01', ok(0.3, '2026-03')], ['2026-05-01', breach(0.1, '2026-04')]], { ...ONCE, recovery: false });
    expect(steps[1]).toEqual({ track: { state: 'ok', since: '2026-04-01T06:00:00.000Z', pending: 0, last_value: 0.3, last_period: '2026-03' } });
    expect(steps[2]!.notify).toEqual({ transition: 'firing', episode: 'email_opens_collapse|brand=Neurexa|2026-05-01T06:00:00.000Z', sequence: 0 });
  });

  it('no data is not told when on_no_data is off, and an error not when on_error is off', () => {
    const [noData] = run([['2026-03-01', { kind: 'no_data', period: '2026-02', reason: 'none' }]], ONCE);
    expect(noData).toEqual({ track: { state: 'no_data', since: '2026-03-01T06:00:00.000Z', pending: 0 } });
    const [error] = run([['2026-03-01', { kind: 'error', reason: 'x' }]], { ...ONCE, onError: false });
    expect(error).toEqual({ track: { state: 'error', since: '2026-03-01T06:00:00.000Z', pending: 0 } });
  });

  it('leaving an error for ok without an open episode is not told', () => {
    const steps = run([['2026-03-01', { kind: 'error', reason: 'x' }], ['2026-03-02', ok(0.3, '2026-02')]], ONCE);
    expect(steps[1]!.notify).toBeUndefined();
    expect(steps[1]!.track.state).toBe('ok');
  });

  it('renotify counts calendar months: P1M after 31 January comes due on 1 March, not on 28 February', () => {
    const monthly = { ...ONCE, renotify: 'P1M' };
    const steps = run([['2026-01-31', breach(0.1, '2025-12')], ['2026-02-28', breach(0.1, '2026-01')], ['2026-03-01', breach(0.1, '2026-02')]], monthly);
    // 2026-02-28 − 1 month = 2026-01-28, before the notice of 01-31: not due; 2026-03-01 − 1 month = 2026-02-01, after it: due.
    expect(steps.map((s) => s.notify?.transition)).toEqual(['firing', undefined, 'renotify']);
  });

  it('the same inputs always give the same step', () => {
    const prev = run([['2026-03-01', breach(0.1, '2026-02')]], FULL)[0]!.track;
    const obs = breach(0.1, '2026-03');
    expect(step(prev, obs, at('2026-04-01'), FULL, KEY)).toEqual(step(prev, obs, at('2026-04-01'), FULL, KEY));
  });
});
