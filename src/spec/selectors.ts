import type { KpiSelector, ScorecardSpec } from './scorecard.js';

// Read at run time by every command: this file imports the scorecard spec's types only, never TypeBox.

/** Whether a selector picks a KPI. */
export function selects(selector: KpiSelector, kpi: { id: string; tags?: string[]; stages: string[] }): boolean {
  if (typeof selector === 'string') return kpi.id === selector;
  if ('kpi' in selector) return kpi.id === selector.kpi;
  if ('tag' in selector) return kpi.tags?.includes(selector.tag) ?? false;
  return kpi.stages.includes(selector.stage);
}

/** The grain each selected KPI is shown at: the scorecard's, unless a `{kpi, grain}` selector says otherwise. */
export function kpiGrain(scorecard: ScorecardSpec, id: string): ScorecardSpec['grain'] {
  const own = scorecard.kpis.find((s): s is Extract<KpiSelector, { kpi: string }> => typeof s === 'object' && 'kpi' in s && s.kpi === id);
  return own?.grain ?? scorecard.grain;
}
