import type { KpiSpec } from '../spec/kpi.js';
import { selects, type ScorecardSpec } from '../spec/scorecard.js';

/**
 * The KPIs a scorecard selects, in the order it names them (ids, then tags and stages in
 * catalog order), each once. The validation rules ask the same question, so a scorecard
 * is checked against the KPIs it will show.
 */
export function selectKpis(scorecard: ScorecardSpec, kpis: ReadonlyMap<string, KpiSpec> | readonly KpiSpec[]): KpiSpec[] {
  const out = new Map<string, KpiSpec>();
  const all = [...kpis.values()];
  for (const sel of scorecard.kpis) {
    for (const k of all) if (selects(sel, k) && !out.has(k.id)) out.set(k.id, k);
  }
  return [...out.values()];
}
