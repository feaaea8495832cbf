import { createHash } from 'node:crypto';
import type { Plan } from '../compile/plan.js';
import { sourcesRead, kpiDependencies, tablesRead } from '../model/dependencies.js';
import { kindFacts } from '../model/kinds.js';
import { buildModel, type Model } from '../model/model.js';
import type { Period } from '../model/period.js';
import type { ChannelSpec } from '../spec/channel.js';
import type { KpiSpec } from '../spec/kpi.js';
import type { ProjectSpec } from '../spec/project.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import type { Results } from '../spec/results.js';
import { withCoverage, type Coverage } from './coverage.js';
import type { KpiValues } from './evaluate.js';

/** JSON with object keys sorted, so equal content always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const sha256Text = (text: string) => createHash('sha256').update(text).digest('hex');


/** Whether a KPI's numbers depend on the channel definitions: by its kind, or by counting engagement or channels. */
export function readsChannels(kpi: KpiSpec): boolean {
  if (kindFacts(kpi.measure.kind).readsChannels) return true;
  const text = JSON.stringify(kpi.measure);
  return /"engaged":true|"min_channels":/.test(text);
}

/**
 * A KPI's definition hash: its measure and dimensions, the declarations of the sources it
 * reads, the channel definitions and stages (engagement, weights, caps, stage maps), and
 * the hashes of the KPIs it is computed from. Names, owners and targets do not change the
 * numbers, so they are left out.
 */
export function definitionHashes(model: Model): Map<string, string> {
  const byId = new Map(model.kpis.map((k) => [k.id, k]));
  const out = new Map<string, string>();
  const channels = canonical(model.channels);
  for (const kpi of model.kpis) {
    const sources = [...sourcesRead(kpi, model.project, byId)].sort().map((s) => [s, model.project.sources[s]]);
    const inputs = kpiDependencies(kpi).map((id) => out.get(id) ?? id);
    // Channel definitions (engagement events, weights, caps, modality, stage maps) count only for measures that read them.
    out.set(kpi.id, sha256Text(canonical({ measure: kpi.measure, dimensions: kpi.dimensions ?? [], sources, channels: readsChannels(kpi) ? channels : null, stages: model.stages, inputs, calendar: model.calendar })));
  }
  return out;
}

/** Each KPI's definition hash in a validated project; empty when it cannot be modelled (e.g. no project file). */
export function projectDefinitionHashes(files: { project?: { spec: ProjectSpec }; channels: ReadonlyArray<{ spec: ChannelSpec }>; kpis: ReadonlyArray<{ spec: KpiSpec }>; scorecards: ReadonlyArray<{ spec: ScorecardSpec }> }): Map<string, string> {
  if (!files.project) return new Map();
  try {
    return definitionHashes(buildModel({ project: files.project.spec, channels: files.channels.map((c) => c.spec), kpis: files.kpis.map((k) => k.spec), scorecards: files.scorecards.map((s) => s.spec) }));
  } catch {
    return new Map();
  }
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
  period: Period;
  plan: Plan;
  values: readonly KpiValues[];
  specs: ReadonlyMap<string, KpiSpec>;
  model: Model;
  blocked: Results['blocked'];
  /** What each source's data covers: periods (or trailing windows) it does not cover are not reported as numbers. */
  coverage?: Coverage;
}

/** The `results/v1` document. */
export function buildResults(input: ResultsInput): Results {
  const hashes = definitionHashes(input.model);
  const { period } = input;
  return {
    version: 'results/v1',
    generated_by: `kpiops ${input.version}`,
    config_hash: input.configHash,
    snapshot: input.snapshot,
    period: { label: period.label, grain: period.grain, start: period.start.toISOString(), end: period.end.toISOString() },
    kpis: input.values.map((kpi) => {
      const { plan } = kpi;
      const spec = input.specs.get(plan.id)!;
      const slices = withCoverage(kpi, tablesRead(spec, input.model.project, input.specs), input.coverage);
      return {
        id: spec.id, name: spec.name, kind: spec.measure.kind, unit: spec.unit, direction: spec.direction, indicator: spec.indicator,
        stages: spec.stages, definition_hash: hashes.get(spec.id)!, period: plan.period, ...(plan.stale ? { stale: plan.stale } : {}),
        slices,
      };
    }).sort((a, b) => a.id.localeCompare(b.id)),
    blocked: input.blocked,
  };
}
