import { describe, expect, it } from 'vitest';
import { lastCoveredPeriod, notStarted, parsePeriod, parseRollingPeriod, rollingPeriod, shift, trailing, yearBefore, type EvalPeriod } from '../../src/model/period.js';

const span = (p: EvalPeriod | undefined) => p && `${p.grain} ${p.label} ${p.start.toISOString()} → ${p.end.toISOString()}`;
const at = (iso: string) => new Date(iso);

describe('rolling windows', () => {
  it('a 28-day window ending at a midnight is labelled by its first and last day, both included', () => {
    // 3 December minus 28 days is 5 November (3 days back to 30 November, 25 more to 5 November).
    expect(span(rollingPeriod(at('2026-12-03T00:00:00Z'), 28))).toBe('rolling_28d 2026-11-05..2026-12-02 2026-11-05T00:00:00.000Z → 2026-12-03T00:00:00.000Z');
    expect(span(rollingPeriod(at('2026-12-03T00:00:00Z'), 7))).toBe('rolling_7d 2026-11-26..2026-12-02 2026-11-26T00:00:00.000Z → 2026-12-03T00:00:00.000Z');
  });

  it('holds complete days only: a time of day is cut back to that midnight', () => {
    expect(rollingPeriod(at('2026-12-03T17:45:00Z'), 7).label).toBe('2026-11-26..2026-12-02');
  });

  it('reads its label back, and nothing that is not a window of 7 or 28 existing days', () => {
    expect(span(parseRollingPeriod('2026-11-05..2026-12-02'))).toBe(span(rollingPeriod(at('2026-12-03T00:00:00Z'), 28)));
    expect(span(parseRollingPeriod('2026-02-23..2026-03-01'))).toBe('rolling_7d 2026-02-23..2026-03-01 2026-02-23T00:00:00.000Z → 2026-03-02T00:00:00.000Z');
    expect(parseRollingPeriod('2026-11-05..2026-11-30')).toBeUndefined(); // 26 days
    // 30 February does not exist; Date.parse reads it as 2 March, and 2 to 8 March would be 7 days.
    expect(parseRollingPeriod('2026-02-30..2026-03-08')).toBeUndefined();
    expect(parseRollingPeriod('2026-11-26..2026-12-02 ')).toBeUndefined();
  });

  it('steps back window by window, back to back and of the same length', () => {
    const w = rollingPeriod(at('2026-12-03T00:00:00Z'), 28);
    expect(shift(w, 1).label).toBe('2026-10-08..2026-11-04');
    expect(shift(w, -1).label).toBe('2026-12-03..2026-12-30');
    const trend = trailing(w, 12);
    expect(trend).toHaveLength(13);
    expect(trend.at(-1)).toEqual(w);
    // 13 windows of 28 days are 364 days: the first starts on 2025-12-04.
    expect(trend[0]!.label).toBe('2025-12-04..2025-12-31');
    trend.slice(1).forEach((p, i) => expect(p.start).toEqual(trend[i]!.end));
  });

  it('a year before is 364 days back: whole weeks, so the same weekdays', () => {
    const w = rollingPeriod(at('2026-12-03T00:00:00Z'), 7);
    const before = yearBefore(w);
    expect(before.label).toBe('2025-11-27..2025-12-03');
    expect(before.start.getUTCDay()).toBe(w.start.getUTCDay());
    // For 28-day windows, a year back is the 13th window back.
    const month = rollingPeriod(at('2026-12-03T00:00:00Z'), 28);
    expect(yearBefore(month)).toEqual(shift(month, 13));
  });

  it('a lagging source covers the window ending at the last midnight by its lag', () => {
    // As of 3 December 06:00 with a 2-day lag the data is complete to 1 December 06:00: the window ends at 1 December.
    expect(lastCoveredPeriod('rolling_7d', at('2026-12-03T06:00:00Z'), 'P2D').label).toBe('2026-11-24..2026-11-30');
    expect(lastCoveredPeriod('rolling_28d', at('2026-12-03T00:00:00Z'), undefined).label).toBe('2026-11-05..2026-12-02');
  });

  it('a window starting on or after the as-of date is not started, and says which window the data covers', () => {
    expect(notStarted(rollingPeriod(at('2026-12-10T00:00:00Z'), 7), at('2026-12-03T00:00:00Z')))
      .toBe('2026-12-03..2026-12-09 starts on the snapshot\'s as-of date 2026-12-03, so the snapshot has no data for it; the latest 7-day window it covers is 2026-11-26..2026-12-02');
  });

  it('calendar labels are not read as windows, nor windows as calendar periods', () => {
    expect(parseRollingPeriod('2026-11')).toBeUndefined();
    expect(parsePeriod('2026-11-05..2026-12-02')).toBeUndefined();
  });
});
