import type { ChannelSpec } from '../spec/channel.js';
import type { KpiSpec } from '../spec/kpi.js';
import type { ProjectSpec } from '../spec/project.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import { targetBlocks } from '../spec/target.js';
import { entityJoin, entitySourceName, eventSource } from './catalog.js';
import { kpiDependencies } from './dependencies.js';
import type { Calendar } from './period.js';

/** A channel as the compiler needs it. */
export interface ChannelModel {
  id: string;
  modality: ChannelSpec['modality'];
  direction: ChannelSpec['direction'];
  engagementEvents: string[];
  /** Events showing a push touch reached the HCP; undefined: every event does. */
  receivedEvents?: string[];
  weight: number;
  cap?: { max: number; per: 'week' | 'month' };
  /** Event → journey stage index (0 = the first stage). */
  stageOf: Record<string, number>;
}

/**
 * A validated project in the shape the compiler works on: channels by id, KPIs in an
 * order where every KPI comes after the KPIs it is computed from, and the slices each
 * KPI must be evaluated for.
 */
export interface Model {
  project: ProjectSpec;
  calendar: Calendar;
  /** The HCP table and its key. */
  entity: { source: string; key: string };
  /** The interactions table (the source with channel and event roles), if any. */
  events?: string;
  channels: ChannelModel[];
  stages: string[];
  kpis: KpiSpec[];
  /**
   * For each KPI, the dimension sets it is grouped by: the total (empty set), each
   * dimension alone, and every combination a scorecard slice, a target override or a
   * dependent KPI asks for.
   */
  sliceSets: Map<string, string[][]>;
}

function channelModel(spec: ChannelSpec, stages: string[]): ChannelModel {
  const stageOf = Object.fromEntries(Object.entries(spec.stage_map ?? {}).map(([event, stage]) => [event, stages.indexOf(stage)]));
  return {
    id: spec.id, modality: spec.modality, direction: spec.direction, engagementEvents: [...spec.engagement_events],
    ...(spec.received_events ? { receivedEvents: [...spec.received_events] } : {}),
    weight: spec.weight, ...(spec.cap ? { cap: { max: spec.cap.max, per: spec.cap.per } } : {}), stageOf,
  };
}

/** KPIs ordered so inputs come first (the validator has already rejected cycles). */
function inDependencyOrder(kpis: readonly KpiSpec[]): KpiSpec[] {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  const out: KpiSpec[] = [];
  const placed = new Set<string>();
  const visit = (kpi: KpiSpec, path: Set<string>) => {
    if (placed.has(kpi.id) || path.has(kpi.id)) return;
    path.add(kpi.id);
    for (const dep of kpiDependencies(kpi)) {
      const input = byId.get(dep);
      if (input) visit(input, path);
    }
    placed.add(kpi.id);
    out.push(kpi);
  };
  for (const kpi of [...kpis].sort((a, b) => a.id.localeCompare(b.id))) visit(kpi, new Set());
  return out;
}

const setKey = (set: readonly string[]) => [...set].sort().join(',');

function addSet(sets: Map<string, string[]>, dims: readonly string[], wanted: readonly string[]) {
  if (!wanted.every((d) => dims.includes(d))) return;
  const ordered = dims.filter((d) => wanted.includes(d));
  sets.set(setKey(ordered), ordered);
}

/** The dimension sets each KPI is evaluated for (see `Model.sliceSets`). */
function sliceSets(kpis: readonly KpiSpec[], scorecards: readonly ScorecardSpec[]): Map<string, string[][]> {
  const wanted: string[][] = [];
  for (const card of scorecards) if (card.slice && card.slice.length > 1) wanted.push(card.slice);
  const out = new Map<string, Map<string, string[]>>();
  // Dependents first, so a derived KPI's slices reach its inputs.
  for (const kpi of [...inDependencyOrder(kpis)].reverse()) {
    const dims = kpi.dimensions ?? [];
    const sets = out.get(kpi.id) ?? new Map<string, string[]>();
    addSet(sets, dims, []);
    for (const d of dims) addSet(sets, dims, [d]);
    for (const w of wanted) addSet(sets, dims, w);
    for (const o of targetBlocks(kpi.target).flatMap((b) => b.overrides)) addSet(sets, dims, Object.keys(o.where));
    out.set(kpi.id, sets);
    for (const dep of kpiDependencies(kpi)) {
      const inputSets = out.get(dep) ?? new Map<string, string[]>();
      for (const set of sets.values()) inputSets.set(setKey(set), set);
      out.set(dep, inputSets);
    }
  }
  return new Map([...out].map(([id, sets]) => [id, [...sets.values()].sort((a, b) => a.length - b.length || setKey(a).localeCompare(setKey(b)))]));
}

export interface ModelInput {
  project: ProjectSpec;
  channels: readonly ChannelSpec[];
  kpis: readonly KpiSpec[];
  scorecards?: readonly ScorecardSpec[];
}

/** Builds the model of a project that passed validation. */
export function buildModel(input: ModelInput): Model {
  const { project } = input;
  const entity = entitySourceName(project)!;
  const key = project.sources[entity]!.key;
  const stages = project.journey.stages.map((s) => s.id);
  const kpis = inDependencyOrder(input.kpis);
  return {
    project,
    calendar: { fiscalYearStart: project.calendar?.fiscal_year_start ?? 1 },
    entity: { source: entity, key: Array.isArray(key) ? key[0]! : key },
    ...(eventSource(project) ? { events: eventSource(project)![0] } : {}),
    channels: [...input.channels].sort((a, b) => a.id.localeCompare(b.id)).map((c) => channelModel(c, stages)),
    stages,
    kpis,
    sliceSets: sliceSets(kpis, input.scorecards ?? []),
  };
}

/** The column of `source` holding HCP ids: the key of the HCP table itself, or the column referencing it. */
export function entityColumn(model: Model, source: string): string | undefined {
  return source === model.entity.source ? model.entity.key : entityJoin(model.project, source);
}
