import { describe, expect, it } from 'vitest';
import { isoWeeksIn, lastCoveredPeriod, minusDuration, notStarted, parsePeriod, periodOf, shift, trailing, yearBefore, type Period } from '../../src/model/period.js';

const span = (p: Period | undefined) => p && `${p.label} ${p.start.toISOString()} → ${p.end.toISOString()}`;
const at = (iso: string) => new Date(iso);

describe('periods', () => {
  it('a month runs from midnight UTC on the 1st to midnight UTC on the next 1st', () => {
    expect(span(parsePeriod('2026-10'))).toBe('2026-10 2026-10-01T00:00:00.000Z → 2026-11-01T00:00:00.000Z');
  });

  it('an event at exactly midnight belongs to the period starting then, one millisecond earlier to the one before', () => {
    expect(periodOf(at('2026-11-01T00:00:00Z'), 'month').label).toBe('2026-11');
    expect(periodOf(at('2026-10-31T23:59:59.999Z'), 'month').label).toBe('2026-10');
    // 2026-10-26 is a Monday: week 44 starts at its midnight.
    expect(periodOf(at('2026-10-26T00:00:00Z'), 'week').label).toBe('2026-W44');
    expect(periodOf(at('2026-10-25T23:59:59Z'), 'week').label).toBe('2026-W43');
  });

  it('ISO week 43 of 2026 is Monday 19 to Monday 26 October', () => {
    expect(span(parsePeriod('2026-W43'))).toBe('2026-W43 2026-10-19T00:00:00.000Z → 2026-10-26T00:00:00.000Z');
  });

  it('2026 has an ISO week 53 (it starts on a Thursday), running into January 2027; 2025 has none', () => {
    expect(isoWeeksIn(2026)).toBe(53);
    expect(isoWeeksIn(2025)).toBe(52);
    expect(span(parsePeriod('2026-W53'))).toBe('2026-W53 2026-12-28T00:00:00.000Z → 2027-01-04T00:00:00.000Z');
    expect(parsePeriod('2025-W53')).toBeUndefined();
    // 1 and 3 January 2027 are in ISO week 53 of 2026; Monday 4 January starts 2027-W01.
    expect(periodOf(at('2027-01-03T12:00:00Z'), 'week').label).toBe('2026-W53');
    expect(periodOf(at('2027-01-04T00:00:00Z'), 'week').label).toBe('2027-W01');
  });

  it('29 December 2025 is already in ISO week 1 of 2026', () => {
    expect(periodOf(at('2025-12-29T08:00:00Z'), 'week').label).toBe('2026-W01');
  });

  it('calendar quarters run January–March …', () => {
    expect(span(parsePeriod('2026-Q3'))).toBe('2026-Q3 2026-07-01T00:00:00.000Z → 2026-10-01T00:00:00.000Z');
    expect(periodOf(at('2026-12-31T23:00:00Z'), 'quarter').label).toBe('2026-Q4');
  });

  it('with a fiscal year starting in November, Q1 spans the year end', () => {
    const fiscal = { fiscalYearStart: 11 };
    expect(span(parsePeriod('2026-Q1', fiscal))).toBe('2026-Q1 2026-11-01T00:00:00.000Z → 2027-02-01T00:00:00.000Z');
    expect(periodOf(at('2027-01-15T00:00:00Z'), 'quarter', fiscal).label).toBe('2026-Q1');
    expect(periodOf(at('2026-10-31T00:00:00Z'), 'quarter', fiscal).label).toBe('2025-Q4');
  });

  it('a trend window is the period and the 12 before it, oldest first, across a year end', () => {
    expect(trailing(parsePeriod('2026-02')!, 12).map((p) => p.label)).toEqual([
      '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02',
    ]);
    expect(trailing(parsePeriod('2027-W02')!, 3).map((p) => p.label)).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
    expect(trailing(parsePeriod('2026-Q1')!, 2).map((p) => p.label)).toEqual(['2025-Q3', '2025-Q4', '2026-Q1']);
  });

  it('the same period last year, for each grain', () => {
    expect(yearBefore(parsePeriod('2026-10')!).label).toBe('2025-10');
    expect(yearBefore(parsePeriod('2026-Q1')!).label).toBe('2025-Q1');
    expect(yearBefore(parsePeriod('2026-W43')!).label).toBe('2025-W43');
    // 2025 has no week 53: week 53 of 2026 compares with week 52 of 2025.
    expect(yearBefore(parsePeriod('2026-W53')!).label).toBe('2025-W52');
  });

  it('labels that are not periods are refused', () => {
    for (const label of ['2026-13', '2026-W00', '2026-Q5', '26-10', '2026-10-01']) expect(parsePeriod(label)).toBeUndefined();
  });

  it('shift moves by whole periods in both directions', () => {
    expect(shift(parsePeriod('2026-01')!, 1).label).toBe('2025-12');
    expect(shift(parsePeriod('2026-12')!, -1).label).toBe('2027-01');
    expect(shift(parsePeriod('2026-W01')!, 1).label).toBe('2025-W52');
  });
});

describe('data that arrives late', () => {
  const asOf = new Date('2026-11-01T00:00:00Z');

  it('without a lag, the last complete month is the one before as_of', () => {
    expect(lastCoveredPeriod('month', asOf, undefined).label).toBe('2026-10');
  });

  it('Rx with a one-month lag is complete only up to September', () => {
    // 2026-11-01 − P1M = 2026-10-01: October is not covered yet.
    expect(lastCoveredPeriod('month', asOf, 'P1M').label).toBe('2026-09');
  });

  it('a 90-day lag as of mid-month reaches back into an earlier quarter', () => {
    // 2026-11-15 − 90 days = 2026-08-17: Q3 (July–September) is not complete, Q2 is the last.
    expect(lastCoveredPeriod('quarter', new Date('2026-11-15T00:00:00Z'), 'P90D').label).toBe('2026-Q2');
  });

  it('weeks: as_of on a Monday covers the week before; one week of lag, the week before that', () => {
    // Monday 26 October 2026 starts week 44.
    expect(lastCoveredPeriod('week', new Date('2026-10-26T00:00:00Z'), undefined).label).toBe('2026-W43');
    expect(lastCoveredPeriod('week', new Date('2026-10-26T00:00:00Z'), 'P1W').label).toBe('2026-W42');
    // As of Wednesday 28 October, week 44 is not over: week 43 is the last complete one.
    expect(lastCoveredPeriod('week', new Date('2026-10-28T12:00:00Z'), undefined).label).toBe('2026-W43');
  });

  it('subtracting months keeps calendar sense at the year start', () => {
    expect(minusDuration(new Date('2026-01-01T00:00:00Z'), 'P1M').toISOString()).toBe('2025-12-01T00:00:00.000Z');
    expect(minusDuration(new Date('2026-03-01T00:00:00Z'), 'P1Y2M').toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });
});

describe('a period the data cannot reach', () => {
  const asOf = at('2026-11-01T00:00:00Z');
  it.each([
    ['2027-03', "2027-03 starts after the snapshot's as-of date 2026-11-01, so the snapshot has no data for it; the latest month it covers is 2026-10"],
    // November starts at the very instant of the as-of date: not one event of it can be in the data.
    ['2026-11', "2026-11 starts on the snapshot's as-of date 2026-11-01, so the snapshot has no data for it; the latest month it covers is 2026-10"],
    // Week 45 of 2026 starts on Monday 2 November; week 43 (19–26 October) is the last one complete.
    ['2026-W45', "2026-W45 starts after the snapshot's as-of date 2026-11-01, so the snapshot has no data for it; the latest week it covers is 2026-W43"],
  ])('%s after the as-of date is refused, naming the latest period the data covers', (label, message) => {
    expect(notStarted(parsePeriod(label)!, asOf)).toBe(message);
  });

  it.each(['2026-10', '2026-Q4', '2026-W44'])('%s began before the as-of date, so it is reported (an incomplete one as its last complete period)', (label) => {
    expect(notStarted(parsePeriod(label)!, asOf)).toBeUndefined();
  });

  it('an as-of instant that is not midnight is written in full', () => {
    expect(notStarted(parsePeriod('2026-12')!, at('2026-11-15T12:30:00Z'))).toBe("2026-12 starts after the snapshot's as-of date 2026-11-15T12:30:00Z, so the snapshot has no data for it; the latest month it covers is 2026-10");
  });
});
