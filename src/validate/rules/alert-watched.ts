import { alertKpiIds } from '../../model/alert.js';
import type { AlertSpec } from '../../spec/alert.js';
import type { KpiSpec } from '../../spec/kpi.js';
import type { ProjectFiles } from '../files.js';

/** The KPIs an alert watches, as the evaluation will resolve them: the rules check the alert against these. */
export function watchedKpis(alert: AlertSpec, files: ProjectFiles): KpiSpec[] {
  const byId = new Map(files.kpis.map((k) => [k.spec.id, k.spec]));
  return alertKpiIds(alert, files.kpis.map((k) => k.spec)).map((id) => byId.get(id)!);
}
