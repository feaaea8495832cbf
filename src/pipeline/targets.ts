import type { Model } from '../model/model.js';
import type { Period } from '../model/period.js';
import type { Results } from '../spec/results.js';
import { suggestTargets, type KpiSuggestion } from '../targets/suggest.js';
import { suggest } from '../text/suggest.js';
import { evaluateResults, type Queryable } from './evaluate.js';
import type { Project } from './project.js';

export interface TargetsRequest {
  /** KPI ids; default every KPI. */
  kpis?: readonly string[];
  percentile: number;
  periods: number;
}

/** What is wrong with a request before any data is read: a percentile or window out of range, an unknown KPI. */
export function targetsRequestProblem(model: Model | undefined, request: TargetsRequest): string | undefined {
  if (!Number.isInteger(request.percentile) || request.percentile < 1 || request.percentile > 99) return `--percentile must be a whole number from 1 to 99 (got "${request.percentile}")`;
  if (!Number.isInteger(request.periods) || request.periods < 1) return `--periods must be a whole number of periods, 1 or more (got "${request.periods}")`;
  if (!model) return undefined;
  const ids = model.kpis.map((k) => k.id);
  for (const id of request.kpis ?? []) {
    if (ids.includes(id)) continue;
    const hint = suggest(id, ids);
    return `--kpi: unknown KPI "${id}".${hint ? ` Did you mean "${hint}"?` : ''}`;
  }
  return undefined;
}

export interface TargetsInput {
  project: Project;
  db: Queryable;
  snapshot: Results['snapshot'];
  blocked: Results['blocked'];
  period: Period;
  texts?: ReadonlyMap<string, string>;
  request: TargetsRequest;
  onQuery?: (id: string) => void;
}

/** Each chosen KPI's suggestion with the file it is written in; KPIs whose data failed its checks are refused. */
export async function suggestTargetsFromHistory(input: TargetsInput): Promise<{ file: string; suggestion: KpiSuggestion }[]> {
  const { project, request, period } = input;
  const chosen = new Set(request.kpis ?? project.model.kpis.map((k) => k.id));
  const results = await evaluateResults({
    validated: project, db: input.db, snapshot: input.snapshot, period, blocked: input.blocked, only: chosen, trend: request.periods,
    ...(input.texts ? { texts: input.texts } : {}), ...(input.onQuery ? { onQuery: input.onQuery } : {}),
  });
  const files = new Map(project.files.kpis.map((k) => [k.spec.id, k.file.path]));
  const byId = new Map(results.kpis.map((k) => [k.id, k]));
  return project.model.kpis.filter((k) => chosen.has(k.id)).map((kpi) => {
    const file = files.get(kpi.id) ?? kpi.id;
    const result = byId.get(kpi.id);
    if (!result) {
      const table = input.blocked.find((b) => b.kpi === kpi.id)?.table;
      const refused = `not computed${table ? `: table ${table} failed its checks` : ''}`;
      return { file, suggestion: { kpi: kpi.id, grain: period.grain, reported: period.label, refused, slices: [], notes: [] } };
    }
    return { file, suggestion: suggestTargets(kpi, result, { percentile: request.percentile, periods: request.periods, grain: period.grain }) };
  });
}
