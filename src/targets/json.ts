import type { Dims, KpiSuggestion } from './suggest.js';
import type { TargetValue } from '../spec/target.js';

/** One row of `kpiops targets suggest --format json`: a figure, or why there is none. */
export interface SuggestionRow {
  kpi: string;
  file: string;
  grain: string;
  reported: string;
  slice: Dims;
  percentile: number | null;
  periods: { period: string; value: number }[];
  skipped: { period: string; why: string }[];
  unrounded: number | null;
  step: number | null;
  suggested: number | null;
  current: TargetValue | null;
  reason?: string;
}

/** The suggestions as flat rows; a refused KPI is one row for its total with the reason. */
export function suggestionRows(list: readonly { file: string; suggestion: KpiSuggestion }[]): SuggestionRow[] {
  return list.flatMap(({ file, suggestion: s }): SuggestionRow[] => {
    const base = { kpi: s.kpi, file, grain: s.grain, reported: s.reported };
    if (s.refused) return [{ ...base, slice: {}, percentile: null, periods: [], skipped: [], unrounded: null, step: null, suggested: null, current: null, reason: s.refused }];
    return s.slices.map((x) => ({
      ...base, slice: x.slice, percentile: x.percentile, periods: x.periods, skipped: x.skipped,
      unrounded: x.unrounded ?? null, step: x.step ?? null, suggested: x.suggested, current: x.current,
      ...(x.reason ? { reason: x.reason } : {}),
    }));
  });
}
