import { createHash } from 'node:crypto';
import type { KpiSpec } from '../spec/kpi.js';
import type { ProjectSpec } from '../spec/project.js';
import { kpiDependencies, sourcesRead } from './dependencies.js';
import { kindFacts } from './kinds.js';
import { measureRefs } from './measure-refs.js';
import type { ChannelModel } from './model.js';
import type { Calendar } from './period.js';

/** JSON with object keys sorted, so equal content always hashes the same. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const sha256Text = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Whether a KPI's numbers depend on the channel definitions: by its kind (`kinds.ts`), or
 * by an aggregate counting engagement (its own rows or the rows following them) or channels.
 */
export function readsChannels(kpi: KpiSpec): boolean {
  if (kindFacts(kpi.measure.kind).readsChannels) return true;
  return measureRefs(kpi.measure, undefined).aggregates.some(({ aggregate: a }) => a.engaged === true || a.min_channels !== undefined || a.followed_by?.engaged === true);
}

/** A source's declaration without who watches its feed and how: owners and monitors do not change a number. */
function numbersOf(source: ProjectSpec['sources'][string] | undefined) {
  if (!source) return source;
  const { owners: _owners, monitor: _monitor, ...rest } = source;
  return rest;
}

export interface HashInput {
  project: ProjectSpec;
  /** In dependency order: inputs first. */
  kpis: readonly KpiSpec[];
  channels: readonly ChannelModel[];
  stages: readonly string[];
  calendar: Calendar;
}

/**
 * A KPI's definition hash: its measure as written and dimensions, the declarations of the
 * sources it reads, the channel definitions and stages (engagement, weights, caps, stage
 * maps), and the hashes of the KPIs it is computed from. Names, owners (of KPIs and of
 * feeds), monitors and targets do not change the numbers, so they are left out. The written measure is hashed, so a change of
 * a default in a later release does not show as a changed definition.
 */
export function definitionHashes(input: HashInput): Map<string, string> {
  const byId = new Map(input.kpis.map((k) => [k.id, k]));
  const out = new Map<string, string>();
  const channels = canonical(input.channels);
  for (const kpi of input.kpis) {
    const sources = [...sourcesRead(kpi, input.project, byId)].sort().map((s) => [s, numbersOf(input.project.sources[s])]);
    const inputs = kpiDependencies(kpi).map((id) => out.get(id) ?? id);
    // Channel definitions (engagement events, weights, caps, modality, stage maps) count only for measures that read them.
    out.set(kpi.id, sha256Text(canonical({ measure: kpi.measure, dimensions: kpi.dimensions ?? [], sources, channels: readsChannels(kpi) ? channels : null, stages: input.stages, inputs, calendar: input.calendar })));
  }
  return out;
}
