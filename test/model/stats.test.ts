import { describe, expect, it } from 'vitest';
import { median, medianAbsoluteDeviation, standardDeviation } from '../../src/model/stats.js';

describe('the statistics anomalies, movers and benchmarks share', () => {
  it('the median is the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    // 2, 4, 6, 10: (4 + 6) / 2 = 5
    expect(median([10, 2, 6, 4])).toBe(5);
  });

  it('the median absolute deviation is not pulled by one outlier', () => {
    // median of 1, 2, 3, 4, 100 is 3; deviations 2, 1, 0, 1, 97 → sorted 0, 1, 1, 2, 97 → 1
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100])).toBe(1);
    expect(medianAbsoluteDeviation([7, 7, 7])).toBe(0);
  });

  it('the standard deviation is the sample one (divided by n − 1)', () => {
    // mean of 2, 4, 4, 4, 5, 5, 7, 9 is 5; squared deviations 9+1+1+1+0+0+4+16 = 32; 32 / 7
    expect(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });
});
