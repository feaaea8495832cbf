import type { ScorecardSpec } from '../spec/scorecard.js';
import { selects } from '../spec/selectors.js';

/** What a selector looks at: a KPI's id, tags and stages (as written or as modelled). */
type Selectable = Parameters<typeof selects>[1];

/**
 * The KPIs a scorecard selects, in the order it names them (ids, then tags and stages in
 * catalog order), each once. The validation rules ask the same question, so a scorecard
 * is checked against the KPIs it will show.
 */
export function selectKpis<K extends Selectable>(scorecard: Pick<ScorecardSpec, 'kpis'>, kpis: ReadonlyMap<string, K> | readonly K[]): K[] {
  const out = new Map<string, K>();
  const all = [...kpis.values()];
  for (const sel of scorecard.kpis) {
    for (const k of all) if (selects(sel, k) && !out.has(k.id)) out.set(k.id, k);
  }
  return [...out.values()];
}
