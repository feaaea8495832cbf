import { createHash } from 'node:crypto';
import type { Plan } from '../compile/plan.js';
import type { Model } from '../model/model.js';
import type { EvalPeriod } from '../model/period.js';
import type { Results } from '../spec/results.js';
import { withCoverage, type Coverage } from './coverage.js';
import type { KpiValues } from './evaluate.js';


/** Each KPI's definition hash (computed once, from the written definitions, in `model/definition-hash.ts`). */
export function definitionHashes(model: Model): Map<string, string> {
  return new Map(model.kpis.map((k) => [k.id, k.definitionHash]));
}

/** SHA-256 over every project file read (path and text), in path order. */
export function configHash(texts: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const path of [...texts.keys()].sort()) hash.update(`${path}\0${texts.get(path)}\0`);
  return hash.digest('hex');
}

export interface ResultsInput {
  version: string;
  configHash: string;
  snapshot: Results['snapshot'];
  period: EvalPeriod;
  plan: Plan;
  values: readonly KpiValues[];
  model: Model;
  blocked: Results['blocked'];
  /** What each source's data covers: periods (or trailing windows) it does not cover are not reported as numbers. */
  coverage?: Coverage;
}

/** The `results/v1` document. */
export function buildResults(input: ResultsInput): Results {
  const byId = new Map(input.model.kpis.map((k) => [k.id, k]));
  const { period } = input;
  return {
    version: 'results/v1',
    generated_by: `kpiops ${input.version}`,
    config_hash: input.configHash,
    snapshot: input.snapshot,
    period: { label: period.label, grain: period.grain, start: period.start.toISOString(), end: period.end.toISOString() },
    kpis: input.values.map((kpi) => {
      const { plan } = kpi;
      const spec = byId.get(plan.id)!;
      const slices = withCoverage(kpi, new Set(spec.tablesRead), input.coverage);
      return {
        id: spec.id, name: spec.name, kind: spec.measure.kind, unit: spec.unit, direction: spec.direction, indicator: spec.indicator,
        stages: spec.stages, definition_hash: spec.definitionHash, period: plan.period, ...(plan.stale ? { stale: plan.stale } : {}),
        slices,
      };
    }).sort((a, b) => a.id.localeCompare(b.id)),
    blocked: input.blocked,
  };
}
