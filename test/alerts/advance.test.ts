import { describe, expect, it } from 'vitest';
import { advance, type Evaluation } from '../../src/alerts/advance.js';
import { emptyState, readState, writeState } from '../../src/alerts/state-file.js';
import type { LifecycleModel } from '../../src/model/alert-lifecycle.js';

const ONCE: LifecycleModel = { pending: 1, recovery: true, onError: true, onNoData: false };
const DAY1 = new Date('2026-12-01T06:00:00.000Z');
const DAY2 = new Date('2026-12-02T06:00:00.000Z');
const breach = (alert: string, slice: string): Evaluation => ({ alert, slice, lifecycle: ONCE, observation: { kind: 'breach', value: 0.1, threshold: 0.2, period: '2026-11', detail: 'below 0.2' } });

describe('one evaluation of every alert', () => {
  const first = advance(emptyState(DAY1), [breach('email_opens_collapse', 'brand=neurexa'), breach('reach_drop', 'total')], DAY1, new Set(['email_opens_collapse', 'reach_drop']));

  it('steps each series and lists the notices with the series they are about', () => {
    expect(first.notices).toEqual([
      { alert: 'email_opens_collapse', slice: 'brand=neurexa', transition: 'firing', episode: 'email_opens_collapse|brand=neurexa|2026-12-01T06:00:00.000Z', sequence: 0 },
      { alert: 'reach_drop', slice: 'total', transition: 'firing', episode: 'reach_drop|total|2026-12-01T06:00:00.000Z', sequence: 0 },
    ]);
    expect(Object.keys(first.state.tracks)).toEqual(['email_opens_collapse|brand=neurexa', 'reach_drop|total']);
  });

  it('the same run again from the written state tells nothing new', () => {
    const reread = readState(writeState(first.state));
    if (!('state' in reread)) throw new Error(reread.error);
    const again = advance(reread.state, [breach('email_opens_collapse', 'brand=neurexa'), breach('reach_drop', 'total')], DAY2, new Set(['email_opens_collapse', 'reach_drop']));
    expect(again.notices).toEqual([]);
    expect(again.state.evaluated_at).toBe('2026-12-02T06:00:00.000Z');
  });

  it('keeps a series not observed as it was, and drops the tracks of an alert that is gone', () => {
    const next = advance(first.state, [], DAY2, new Set(['email_opens_collapse']));
    expect(next.state.tracks).toEqual({ 'email_opens_collapse|brand=neurexa': first.state.tracks['email_opens_collapse|brand=neurexa'] });
    expect(next.notices).toEqual([]);
  });

  it('refuses one series observed twice in one run', () => {
    expect(() => advance(first.state, [breach('reach_drop', 'total'), breach('reach_drop', 'total')], DAY2, new Set(['reach_drop']))).toThrow('observed twice');
  });
});
