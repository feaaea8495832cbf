import type { KpiModel } from '../model/kpi.js';
import { CALENDAR_KINDS } from '../model/rolling.js';

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
