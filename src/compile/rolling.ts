import type { KpiModel } from '../model/kpi.js';
import type { MeasureKindName } from '../model/measure.js';

/**
 * Kinds whose definition is cut by the calendar, so a window of days would give a number
 * that looks like theirs but means something else. Every other kind counts what happened
 * between two instants (a funnel's cohort, who came back after a lapse, catalog items
 * available), which a window of days is as well as a month is.
 */
const CALENDAR_KINDS: Partial<Record<MeasureKindName, string>> = {
  index: 'the engagement index reads trailing calendar months (its consistency counts the months with an engagement), not a window of days',
  stage: 'journey stages are read over trailing calendar months, not a window of days',
  attainment: 'goal attainment counts points toward goals over their planning periods to date, not within a window of days',
  benchmark: 'competitor benchmarks are published per calendar period: none matches a window of days',
  cap: 'over-contact is counted in calendar weeks or months (the cap\'s `per`), which a window of days would cut into parts that never reach the cap',
};

/**
 * Why each KPI cannot be evaluated over a rolling window, by id: its kind is cut by the
 * calendar, or it is computed from a KPI that is. KPIs absent from the map can be. `kpis`
 * are in dependency order, as the model holds them.
 */
export function rollingRefusals(kpis: readonly KpiModel[]): Map<string, string> {
  const refused = new Map<string, string>();
  for (const kpi of kpis) {
    const own = CALENDAR_KINDS[kpi.measure.kind];
    const input = kpi.dependsOn.find((id) => refused.has(id));
    if (own) refused.set(kpi.id, own);
    else if (input) refused.set(kpi.id, `it is computed from ${input}, which cannot be: ${refused.get(input)!}`);
  }
  return refused;
}

/** KPIs asked for over a rolling window that cannot be, each with the reason. */
export class RollingRefusedError extends Error {
  constructor(readonly refused: ReadonlyArray<{ kpi: string; reason: string }>) {
    super(`cannot evaluate over a rolling window of days: ${refused.map((r) => `${r.kpi}: ${r.reason}`).join('; ')}`);
    this.name = 'RollingRefusedError';
  }
}
