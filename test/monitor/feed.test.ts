import { describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR, type MonitorModel } from '../../src/model/monitor.js';
import { monitorFeed, type FeedFinding, type FeedStats } from '../../src/monitor/feed.js';

// As of Thursday 2026-12-03 06:00 UTC: the last complete day is Wednesday 2026-12-02.
const AS_OF = '2026-12-03T06:00:00.000Z';
const monitor: MonitorModel = { ...DEFAULT_MONITOR };

/** Rows per day for the 28 days before 2026-12-02 (2026-11-04 … 2026-12-01), then 2026-12-02 itself. */
function daily(history: (i: number) => number, judged: number): FeedStats['daily'] {
  const start = Date.parse('2026-11-04T00:00:00Z');
  const days = Array.from({ length: 28 }, (_, i) => ({ day: new Date(start + i * 86_400_000).toISOString().slice(0, 10), rows: history(i) }));
  return [...days, { day: '2026-12-02', rows: judged }];
}

function stats(overrides: Partial<FeedStats> = {}): FeedStats {
  return {
    source: 'interactions', as_of: AS_OF, latest: '2026-12-02T23:10:00.000Z',
    daily: daily(() => 1000, 1000),
    columns: { declared: ['event_id', 'occurred_at', 'event'], present: ['event_id', 'occurred_at', 'event'] },
    values: [{ column: 'event', value: 'opened', first_day: '2026-01-05', last_day: '2026-12-02', rows: 9000 }],
    checks: [],
    ...overrides,
  };
}

const finding = (s: FeedStats, name: FeedFinding['monitor'], lag?: string) =>
  monitorFeed(s, { ...(lag ? { lag } : {}), monitor }).find((f) => f.monitor === name)!;

describe('freshness', () => {
  it('a feed that stopped five days ago is a breach, in days and in words', () => {
    // Rows must reach 2026-12-02 (the day before as-of, no lag); the latest is from 2026-11-28: 12-03 − 11-28 = 5 days old, 1 allowed.
    const f = finding(stats({ latest: '2026-11-28T17:42:00.000Z' }), 'freshness');
    expect(f).toEqual({
      source: 'interactions', monitor: 'freshness', state: 'breach', value: 5, threshold: 1, since: '2026-11-29',
      detail: 'interactions: the latest row is from 2026-11-28, 5 days before 2026-12-03; the feed arrives up to 1 day late.',
    });
  });

  it("yesterday's rows are enough; the declared lag moves the limit back", () => {
    expect(finding(stats({ latest: '2026-12-02T00:05:00.000Z' }), 'freshness').state).toBe('ok');
    expect(finding(stats({ latest: '2026-12-01T23:59:00.000Z' }), 'freshness').state).toBe('breach');
    // lag P2D: as-of minus two days is 2026-12-01, so rows must reach 2026-11-30.
    expect(finding(stats({ latest: '2026-11-30T08:00:00.000Z' }), 'freshness', 'P2D')).toMatchObject({ state: 'ok', value: 3, threshold: 3 });
  });

  it('a monthly feed reaches the end of its latest month; the month still arriving is not expected', () => {
    // lag P1M: as-of minus a month is 2026-11-03, in November: October must be there (rows to 2026-10-31).
    const october = stats({ source: 'rx', grain: 'month', latest: '2026-10-01T00:00:00.000Z' });
    expect(finding(october, 'freshness', 'P1M')).toMatchObject({ state: 'ok', value: 33 });
    const september = { ...october, latest: '2026-09-01T00:00:00.000Z' };
    expect(finding(september, 'freshness', 'P1M')).toMatchObject({
      state: 'breach', value: 64, since: '2026-10-01',
      detail: 'rx: the latest month is 2026-09, which ends 2026-09-30, 64 days before 2026-12-03; the feed may arrive P1M (its lag) and a day late.',
    });
  });

  it('a table without dated rows, or one that did not load, has no freshness to judge', () => {
    expect(finding(stats({ latest: null }), 'freshness').state).toBe('no_data');
    expect(finding(stats({ latest: null, unread: 'the snapshot has no file for it' }), 'freshness')).toMatchObject({
      state: 'no_data', detail: 'interactions: the snapshot has no file for it, so its freshness cannot be judged.',
    });
  });
});

describe('daily volume', () => {
  // 950 and 1,050 alternating: median 1,000; every day 50 from it, so MAD 50 and spread 1.4826 × 50 = 74.13
  // (above √1000 = 31.6). Three spreads: 1,000 ± 222.39 → 777.61 … 1,222.39. Each weekday also gets two of
  // each value (weekday medians 1,000), so the weekdays explain nothing: the 28 days are the history.
  const alternating = (i: number) => (i % 2 ? 1050 : 950);

  it('a 60 % drop is a breach, with the median, the spread and the bound crossed', () => {
    const f = finding(stats({ daily: daily(alternating, 400) }), 'volume');
    expect(f).toMatchObject({ state: 'breach', value: 400, since: '2026-12-02' });
    expect(f.threshold).toBeCloseTo(777.61, 2);
    expect(f.detail).toBe('interactions: 400 rows on Wednesday 2026-12-02, 60 % below the median of 1,000 on the previous 28 days; expected 777.6–1,222.4 (3 × the usual spread of 74.1).');
  });

  it('a steady day is ok, up to the bound; a spike beyond it is a breach', () => {
    expect(finding(stats({ daily: daily(alternating, 1000) }), 'volume').state).toBe('ok');
    expect(finding(stats({ daily: daily(alternating, 1222) }), 'volume').state).toBe('ok');
    expect(finding(stats({ daily: daily(alternating, 1223) }), 'volume')).toMatchObject({ state: 'breach', detail: expect.stringContaining('22 % above') });
  });

  it('a perfectly steady history still allows chance variation (√median)', () => {
    // Every day 1,000: MAD 0, spread √1000 = 31.62, three spreads 94.9: 1,090 is within, 1,100 is not.
    expect(finding(stats({ daily: daily(() => 1000, 1090) }), 'volume').state).toBe('ok');
    expect(finding(stats({ daily: daily(() => 1000, 1100) }), 'volume').state).toBe('breach');
  });

  it('a feed with quiet weekends compares a Saturday with Saturdays', () => {
    // 2026-11-04 is a Wednesday, so day i is a Saturday or Sunday when i % 7 is 3 or 4. Weekdays 1,000, weekend 100:
    // mean deviation from the overall median (1,000) is 8 × 900 / 28 = 257, from each weekday's median 0 → weekly.
    // As of Sunday 2026-12-06 the judged day is Saturday 2026-12-05; its history the four Saturdays (100 each):
    // median 100, spread √100 = 10, range 70–130. Compared with all days (median 1,000) 100 would be a breach.
    const weekend = (i: number) => ([3, 4].includes(i % 7) ? 100 : 1000);
    const days = [...daily(weekend, 1000).slice(0, 28), { day: '2026-12-02', rows: 1000 }, { day: '2026-12-03', rows: 1000 }, { day: '2026-12-04', rows: 1000 }];
    const saturday = (rows: number) => stats({ as_of: '2026-12-06T06:00:00.000Z', daily: [...days, { day: '2026-12-05', rows }] });
    expect(finding(saturday(100), 'volume')).toMatchObject({
      state: 'ok', detail: 'interactions: 100 rows on Saturday 2026-12-05, within 70–130 (3 × the usual spread of 10) around the median of 100 on the previous 4 Saturdays.',
    });
    expect(finding(saturday(1000), 'volume')).toMatchObject({ state: 'breach', threshold: 130 });
  });

  it('days before the first rows are not history; too short a history, monthly rows or a sparse feed are not judged', () => {
    const young = (first: number) => stats({ daily: daily((i) => (i >= first ? 1000 : 0), 10) });
    expect(finding(young(21), 'volume').state).toBe('breach'); // 7 days of history: enough
    expect(finding(young(22), 'volume')).toMatchObject({ state: 'no_data', detail: expect.stringContaining('only 6 of the 28 days') });
    expect(finding(stats({ grain: 'month' }), 'volume').state).toBe('no_data');
    expect(finding(stats({ latest: null, daily: [] }), 'volume')).toMatchObject({ state: 'no_data', detail: 'interactions: it has no dated rows, so its daily volume is not judged.' });
    expect(finding(stats({ daily: daily((i) => (i % 3 === 0 ? 500 : 0), 0) }), 'volume')).toMatchObject({ state: 'no_data', detail: expect.stringContaining('does not arrive daily') });
  });
});

describe('schema', () => {
  it('a new event value first seen on the judged day is a breach', () => {
    const values = [...stats().values, { column: 'event', value: 'webinar_replay', first_day: '2026-12-02', last_day: '2026-12-03', rows: 120 }];
    expect(finding(stats({ values }), 'schema')).toEqual({
      source: 'interactions', monitor: 'schema', state: 'breach', value: 1, threshold: 0, since: '2026-12-02',
      detail: 'interactions: a new event value "webinar_replay" first appeared on 2026-12-02 (120 rows).',
    });
  });

  it('a value first seen before the judged day is history, and a brand-new feed has no new values', () => {
    const older = [...stats().values, { column: 'event', value: 'webinar_replay', first_day: '2026-12-01', last_day: '2026-12-03', rows: 120 }];
    expect(finding(stats({ values: older }), 'schema').state).toBe('ok');
    expect(finding(stats({ values: [{ column: 'channel', value: 'email', first_day: '2026-12-02', last_day: '2026-12-02', rows: 5 }] }), 'schema').state).toBe('ok');
  });

  it('a missing declared column and an undeclared one are breaches', () => {
    const columns = { declared: ['event_id', 'occurred_at', 'event'], present: ['event_id', 'occurred_at', 'utm_source'] };
    expect(finding(stats({ columns }), 'schema')).toMatchObject({
      state: 'breach', value: 2, since: '2026-12-02',
      detail: 'interactions: the file lacks the declared column "event"; the file has a column "utm_source" kpiops.yaml does not declare.',
    });
  });

  it('steady columns and values are ok; a table that did not load is judged on its columns alone', () => {
    expect(finding(stats(), 'schema')).toMatchObject({ state: 'ok', value: 0 });
    expect(finding(stats({ values: [], unread: 'it failed its load checks' }), 'schema')).toMatchObject({
      state: 'ok', detail: 'interactions: the file has the declared columns; its values were not read, as it failed its load checks.',
    });
  });
});

describe('load checks and the set of checks', () => {
  it('a failed load check is a breach quoting it', () => {
    const checks = [{ code: 'data/missing-column', message: 'Table interactions has no column channel.' }];
    expect(finding(stats({ checks }), 'checks')).toMatchObject({
      state: 'breach', value: 1, detail: 'interactions: the snapshot failed a load check, so no KPI reads it: Table interactions has no column channel.',
    });
  });

  it('a steady feed is ok on every check, in a fixed order; switched-off checks do not run', () => {
    const all = monitorFeed(stats(), { monitor });
    expect(all.map((f) => [f.monitor, f.state])).toEqual([['freshness', 'ok'], ['volume', 'ok'], ['schema', 'ok'], ['checks', 'ok']]);
    const some = monitorFeed(stats(), { monitor: { ...monitor, volume: false, schema: false } });
    expect(some.map((f) => f.monitor)).toEqual(['freshness', 'checks']);
  });
});
