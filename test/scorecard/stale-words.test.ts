import { describe, expect, it } from 'vitest';
import { CALENDAR_YEAR } from '../../src/model/period.js';
import { staleWords } from '../../src/scorecard/stale-words.js';

const AS_OF = '2026-11-01T00:00:00Z';

describe('why a KPI shows an earlier period, in words', () => {
  it('a source that declares no lag is never said to lag P0D: the quarter asked for is not over yet', () => {
    expect(staleWords({ requested: '2026-Q4', source: 'interactions', lag: 'P0D' }, AS_OF, CALENDAR_YEAR)).toBe('2026-Q4 is not complete: data to 1 Nov 2026');
  });

  it('a late source on a period that is over says how late, in words', () => {
    expect(staleWords({ requested: '2026-10', source: 'rx', lag: 'P1M' }, AS_OF, CALENDAR_YEAR)).toBe('rx data arrives 1 month late');
  });

  it('a late source on a period that is not over yet: the period not being over is the reason given', () => {
    expect(staleWords({ requested: '2026-Q4', source: 'rx', lag: 'P1M' }, AS_OF, CALENDAR_YEAR)).toBe('2026-Q4 is not complete: data to 1 Nov 2026');
  });

  it('a fiscal quarter is read with the project calendar: with a November start, 2026-Q1 runs November 2026 to January 2027', () => {
    expect(staleWords({ requested: '2026-Q1', source: 'rx', lag: 'P1M' }, AS_OF, { fiscalYearStart: 11 })).toBe('2026-Q1 is not complete: data to 1 Nov 2026');
    // In calendar quarters 2026-Q1 ended in March: only the lag can explain it.
    expect(staleWords({ requested: '2026-Q1', source: 'rx', lag: 'P1M' }, AS_OF, CALENDAR_YEAR)).toBe('rx data arrives 1 month late');
  });

  it('the source name is written as the caller names sources', () => {
    expect(staleWords({ requested: '2026-10', source: 'rx', lag: 'P1M' }, AS_OF, CALENDAR_YEAR, (s) => s.toUpperCase())).toBe('RX data arrives 1 month late');
  });
});
