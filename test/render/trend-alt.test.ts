import { describe, expect, it } from 'vitest';
import { trendAlt } from '../../src/render/charts.js';

const row = (values: number[], digits?: number) => ({
  name: 'Intent to prescribe', unit: 'score' as const, ...(digits !== undefined ? { digits } : {}),
  trend: values.map((value, i) => ({ period: `2026-0${i + 1}`, value, n: 100 })),
});

describe('the alt text of a trend', () => {
  it('says a move between shown values that differ moved slightly, never "unchanged", when the change rounds to nothing', () => {
    // 6.14 → 6.16 shows as 6.1 → 6.2; the change, 0.02, rounds to ±0.0.
    expect(trendAlt(row([6.14, 6.3, 6.16], 1))).toBe('Intent to prescribe trend, 2026-01 to 2026-03: 6.1 to 6.2, up slightly; high 6.3 (2026-02), low 6.1 (2026-01).');
  });

  it('says unchanged when the shown values are the same', () => {
    expect(trendAlt(row([6.12, 6.3, 6.13], 1))).toContain('6.1 to 6.1, unchanged;');
  });

  it('shows a score with the KPI\'s own digits', () => {
    // NPS digits 0: 4.8 → 5, −33.2 → −33, a fall of 38.
    expect(trendAlt({ ...row([4.8, -33.2], 0), name: 'NPS' })).toBe('NPS trend, 2026-01 to 2026-02: 5 to −33, down 38; high 5 (2026-01), low −33 (2026-02).');
  });
});
