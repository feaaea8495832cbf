import { describe, expect, it } from 'vitest';
import { formatAgainst, formatDate, formatDelta, formatMix, formatValue, label, lagWords, scaleDigits } from '../../src/scorecard/format.js';

describe('formatValue', () => {
  it.each<[number, string]>([
    [0.4213, '42.1%'], // 42.13 → one decimal under 100%
    [0.25, '25.0%'],
    [0.999, '99.9%'],
    [0, '0.0%'],
    [1, '100%'], // 100% and above: whole percent
    [1.2345, '123%'],
    [12.5, '1,250%'],
    [-0.05, '−5.0%'], // a real minus sign (U+2212), not a hyphen
    [-0.0001, '0.0%'], // −0.01% rounds to 0.0: no "−0.0"
  ])('percent %d → %s', (value, expected) => {
    expect(formatValue(value, 'percent')).toBe(expected);
  });

  it.each<[number, string]>([
    [42.4, '42'], // |x| ≥ 20: NPS-like scales as whole numbers
    [20, '20'],
    [-35, '−35'],
    [0, '0'],
    [4.26, '4.3'], // 1 ≤ |x| < 20: one decimal
    [-12.5, '−12.5'],
    [0.456, '0.46'], // |x| < 1: two decimals
    [-0.5, '−0.50'],
  ])('score %d → %s', (value, expected) => {
    expect(formatValue(value, 'score')).toBe(expected);
  });

  it.each<[number, 'count' | 'ratio' | 'currency', string]>([
    [1234, 'count', '1,234'],
    [1234.5, 'count', '1,234.5'],
    [-3, 'count', '−3'],
    [2.04, 'ratio', '2.04'],
    [4, 'ratio', '4.00'],
    [123.4, 'ratio', '123'],
    [12.5, 'currency', '12.50'],
    [1234567.4, 'currency', '1,234,567'],
    [-2500, 'currency', '−2,500'],
  ])('%d as %s → %s', (value, unit, expected) => {
    expect(formatValue(value, unit)).toBe(expected);
  });

  it('no number, no figure', () => {
    expect(formatValue(Number.NaN, 'percent')).toBe('—');
    expect(formatValue(Number.POSITIVE_INFINITY, 'count')).toBe('—');
  });

  it('never uses a hyphen as a minus sign', () => {
    for (const unit of ['percent', 'ratio', 'count', 'score', 'currency'] as const) expect(formatValue(-1.5, unit)).not.toContain('-');
  });
});

describe('formatDelta', () => {
  it('percent KPIs in percentage points', () => {
    expect(formatDelta(0.25, 0.262, 'percent')).toBe('+1.2 pp'); // (0.262 − 0.25) × 100 = 1.2
    expect(formatDelta(0.262, 0.25, 'percent')).toBe('−1.2 pp');
    expect(formatDelta(0.3, 0.3, 'percent')).toBe('±0.0 pp');
    expect(formatDelta(0.3, 0.30004, 'percent')).toBe('±0.0 pp'); // +0.004 pp rounds to zero
  });

  it('counts and money as the relative change', () => {
    expect(formatDelta(200, 230, 'count')).toBe('+15.0%'); // 30 ÷ 200
    expect(formatDelta(1000, 900, 'currency')).toBe('−10.0%'); // −100 ÷ 1000
    expect(formatDelta(1000, 1000.1, 'count')).toBe('±0.0%'); // 0.01% rounds to zero
    expect(formatDelta(0, 5, 'count')).toBe('+5'); // from zero there is no relative change: the difference
  });

  it('scores and ratios as the difference in the unit', () => {
    expect(formatDelta(32, 35, 'score')).toBe('+3'); // the values show no decimals (≥ 20), so neither does the change
    expect(formatDelta(6.7, 7.0, 'score')).toBe('+0.3'); // values with one decimal (1 ≤ x < 20): 7.0 − 6.7 = 0.3
    expect(formatDelta(35, 10, 'score')).toBe('−25'); // 25 ≥ 20 → whole
    expect(formatDelta(4.1, 4.3, 'ratio')).toBe('+0.20');
    expect(formatDelta(4.3, 4.3, 'ratio')).toBe('±0.00');
  });
});

describe('formatMix and label', () => {
  it('each category as words with its share', () => {
    expect(formatMix({ in_person: 0.45, virtual: 0.38, digital_self_service: 0.17 })).toBe('in person 45.0% · virtual 38.0% · digital self-service 17.0%');
  });

  it('snake_case ids as words', () => {
    expect(label('digital_self_service')).toBe('digital self-service');
    expect(label('in_person')).toBe('in person');
    expect(label('rx')).toBe('rx');
  });
});

describe('formatDate', () => {
  it.each<[string, string]>([
    ['2026-11-01T00:00:00Z', '1 Nov 2026'],
    ['2026-09-30', '30 Sep 2026'], // "Sep", not "Sept"
    ['2026-06-15T12:00:00Z', '15 Jun 2026'],
    ['2026-10-31T23:30:00-02:00', '1 Nov 2026'], // 01:30 UTC on 1 Nov
    ['2026-11-01T00:30:00+02:00', '31 Oct 2026'], // 22:30 UTC on 31 Oct
    ['2025-12-31T23:59:59.999Z', '31 Dec 2025'],
  ])('%s → %s (UTC)', (iso, expected) => {
    expect(formatDate(iso)).toBe(expected);
  });
});

describe('scaleDigits', () => {
  it('gives a score KPI one digit count from its largest value: whole numbers from 20, one decimal from 1, two below', () => {
    expect(scaleDigits([4.8, -33, -17])).toBe(0); // NPS: |−33| ≥ 20
    expect(scaleDigits([6.5, 7.1, 7])).toBe(1); // a mean on a 1–10 scale
    expect(scaleDigits([0.42, 0.8])).toBe(2);
    expect(scaleDigits([0, Number.NaN])).toBe(1); // nothing to go by: one decimal
    expect(formatValue(4.8, 'score', 0)).toBe('5');
    expect(formatValue(7, 'score', 1)).toBe('7.0');
    expect(formatDelta(4.2, 5, 'score', 0)).toBe('+1');
  });
});

describe('formatAgainst', () => {
  it('adds decimals, up to two, until a value and a target that differ read differently', () => {
    // NPS with whole-number digits: −13.47 and −13 both round to "−13"; one more decimal tells them apart.
    expect(formatAgainst(-13.47, -13, 'score', 0)).toEqual({ value: '−13.5', target: '−13.0' });
    // 43.96% against 44%: 44.0% and 44.0% at one decimal; 43.96% and 44.00% at two.
    expect(formatAgainst(0.4396, 0.44, 'percent')).toEqual({ value: '43.96%', target: '44.00%' });
    // Already different, or equal: as usual.
    expect(formatAgainst(0.438, 0.44, 'percent')).toEqual({ value: '43.8%', target: '44.0%' });
    expect(formatAgainst(0.44, 0.44, 'percent')).toEqual({ value: '44.0%', target: '44.0%' });
    // A difference below the third extra decimal stops at two.
    expect(formatAgainst(0.440000001, 0.44, 'percent')).toEqual({ value: '44.000%', target: '44.000%' });
  });
});

describe('lagWords', () => {
  it('says a source\'s lag in words, read by the model\'s duration parser; text that is no duration is shown as written', () => {
    expect(['P1M', 'P90D', 'P1Y2W', 'P2M1D', 'P0D'].map(lagWords)).toEqual(['1 month', '90 days', '1 year 2 weeks', '2 months 1 day', '0 days']);
    // "P" alone is no duration (the schema refuses it too); it was read as no time at all and shown as "".
    expect(['P', 'one month'].map(lagWords)).toEqual(['P', 'one month']);
  });
});
