import type { ChannelSpec } from '../spec/channel.js';
import type { KpiSpec } from '../spec/kpi.js';
import type { AggregateSpec, MeasureSpec } from '../spec/measure.js';
import type { ProjectSpec } from '../spec/project.js';
import type { AlertSpec } from '../spec/alert.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import { selects } from '../spec/selectors.js';
import type { ThresholdsSpec } from '../spec/target.js';
import { targetBlocks } from '../spec/target-blocks.js';
import { entitySourceName, eventSource } from './catalog.js';
import { entityWords } from './entity-words.js';
import { definitionHashes } from './definition-hash.js';
import { kpiDependencies, sourcesRead, tablesRead } from './dependencies.js';
import { KIND_DEFAULTS } from './kinds.js';
import { alertDimensionSets, alertModel, type AlertModel } from './alert.js';
import type { Bands, KpiModel } from './kpi.js';
import type { AggregateModel, MeasureModel } from './measure.js';
import type { ChannelModel, Model } from './model.js';
import { feedMonitors } from './monitor.js';
import type { ProjectModel } from './project-model.js';
import { briefSource, sourceReaders } from './source-readers.js';

/** The project's default bands when it declares none: green at the target, amber from 90% of it. */
export const DEFAULT_THRESHOLDS: ThresholdsSpec = { mode: 'ratio', green: 1, amber: 0.9 };
/** The fiscal year starts in January unless the project says otherwise. */
export const DEFAULT_FISCAL_YEAR_START = 1;
/** Cells counting fewer HCPs are suppressed unless the project says otherwise. */
export const DEFAULT_MIN_CELL_SIZE = 11;

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
function sliceSets(kpis: readonly KpiSpec[], scorecards: readonly ScorecardSpec[], alerts: readonly AlertModel[] = []): Map<string, string[][]> {
  const wanted: string[][] = [];
  // An alert's slices are evaluated for the KPIs it watches; a KPI not sliced by them is left out by `addSet`.
  const watched = (kpi: KpiSpec) => alerts.flatMap((a) => (a.kpis.includes(kpi.id) ? alertDimensionSets(a) : []));
  for (const card of scorecards) if (card.slice && card.slice.length > 1) wanted.push(card.slice);
  // "What moved it" splits the recipient's slice by each explain dimension, for the scorecard's own KPIs.
  const explained = (kpi: KpiSpec) => scorecards.flatMap((card) => (card.explain && card.kpis.some((s) => selects(s, kpi))
    ? card.explain.by.map((d) => [...(card.slice ?? []), d]) : []));
  const out = new Map<string, Map<string, string[]>>();
  // Dependents first, so a derived KPI's slices reach its inputs.
  for (const kpi of [...inDependencyOrder(kpis)].reverse()) {
    const dims = kpi.dimensions ?? [];
    const sets = out.get(kpi.id) ?? new Map<string, string[]>();
    addSet(sets, dims, []);
    for (const d of dims) addSet(sets, dims, [d]);
    for (const w of [...wanted, ...explained(kpi), ...watched(kpi)]) addSet(sets, dims, w);
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

export function normalizeAggregate(a: AggregateSpec): AggregateModel {
  const fn = a.sum ? 'sum' : a.sum_days ? 'days' : a.count ?? 'rows';
  const f = a.followed_by;
  return {
    source: a.source, fn,
    ...(a.sum ? { column: a.sum } : {}),
    ...(a.sum_days ? { span: { from: a.sum_days.from, to: a.sum_days.to } } : {}),
    ...(a.where ? { where: a.where } : {}),
    engaged: a.engaged ?? false,
    ...(a.min_channels !== undefined ? { minChannels: a.min_channels } : {}),
    ...(f ? { followedBy: { source: f.source, after: f.after, within: f.within, ...(f.where ? { where: f.where } : {}), engaged: f.engaged ?? false } } : {}),
    ...(a.across ? { across: [...a.across] } : {}),
    ...(a.used_in ? { usedIn: { source: a.used_in.source, ...(a.used_in.where ? { where: a.used_in.where } : {}) } } : {}),
  };
}

/** The measure with every default filled in (the defaults are `KIND_DEFAULTS` in `kinds.ts`). */
export function normalizeMeasure(m: MeasureSpec): MeasureModel {
  const opt = <K extends string, V>(key: K, value: V | undefined) => (value !== undefined ? { [key]: value } as Record<K, V> : {});
  switch (m.kind) {
    case 'reach': return { kind: m.kind, source: m.source, ...opt('population', m.population), ...opt('where', m.where) };
    case 'ratio': return { kind: m.kind, numerator: normalizeAggregate(m.numerator), denominator: normalizeAggregate(m.denominator) };
    case 'funnel': return { kind: m.kind, source: m.source, ...opt('per', m.per), window: m.window ?? KIND_DEFAULTS.funnel.window, steps: m.steps.map((s) => ({ name: s.name, where: s.where })) };
    case 'score': return { kind: m.kind, source: m.source, ...opt('where', m.where), column: m.column, method: m.method, ...opt('top', m.top) };
    case 'index': return {
      kind: m.kind, source: m.source, ...opt('population', m.population), trailingMonths: m.trailing_months ?? KIND_DEFAULTS.index.trailingMonths,
      depthCap: m.depth_cap, weights: m.weights ? { ...m.weights } : { ...KIND_DEFAULTS.index.weights },
    };
    case 'attainment': return { kind: m.kind, source: m.source, goals: { ...m.goals } };
    case 'reengagement': return { kind: m.kind, source: m.source, ...opt('population', m.population), lookback: m.lookback ?? KIND_DEFAULTS.reengagement.lookback };
    case 'cap': return { kind: m.kind, source: m.source, ...opt('population', m.population), per: m.per, ...opt('max', m.max) };
    case 'share': return { kind: m.kind, source: m.source, by: m.by, ...opt('where', m.where) };
    case 'growth': return { kind: m.kind, of: normalizeAggregate(m.of), compare: m.compare ?? KIND_DEFAULTS.growth.compare };
    case 'benchmark': return { kind: m.kind, kpi: m.kpi, source: m.source, metric: m.metric, against: m.against };
    case 'stage': return { kind: m.kind, source: m.source, ...opt('population', m.population), trailingMonths: m.trailing_months ?? KIND_DEFAULTS.stage.trailingMonths };
    case 'derived': return { kind: m.kind, expression: m.expression };
    case 'average': return { kind: m.kind, source: m.source, column: m.column, ...opt('where', m.where), ...opt('population', m.population) };
  }
}

/** The KPI's own bands, or the project's default mirrored around 1 for lower-is-better KPIs (ratio mode). */
export function bandsOf(kpi: Pick<KpiSpec, 'thresholds' | 'direction'>, defaults: ThresholdsSpec = DEFAULT_THRESHOLDS): Bands {
  if (kpi.thresholds) return { mode: kpi.thresholds.mode ?? 'ratio', green: kpi.thresholds.green, amber: kpi.thresholds.amber };
  const mode = defaults.mode ?? 'ratio';
  if (kpi.direction === 'higher' || mode === 'absolute') return { mode, green: defaults.green, amber: defaults.amber };
  return { mode, green: 2 - defaults.green, amber: 2 - defaults.amber };
}

export interface ModelInput {
  project: ProjectSpec;
  channels: readonly ChannelSpec[];
  kpis: readonly KpiSpec[];
  scorecards?: readonly ScorecardSpec[];
  alerts?: readonly AlertSpec[];
}

/**
 * The model of a project that passed validation: the only place, besides the rules, that
 * reads written KPI and channel specs. Defaults are applied here (and declared in
 * `kinds.ts`), once.
 */
export function normalize(input: ModelInput): Model {
  const { project } = input;
  const entity = entitySourceName(project)!;
  const key = project.sources[entity]!.key;
  const stages = project.journey.stages.map((s) => s.id);
  const specs = inDependencyOrder(input.kpis);
  const byId = new Map(specs.map((k) => [k.id, k]));
  const calendar = { fiscalYearStart: project.calendar?.fiscal_year_start ?? DEFAULT_FISCAL_YEAR_START };
  const channels = [...input.channels].sort((a, b) => a.id.localeCompare(b.id)).map((c) => channelModel(c, stages));
  const hashes = definitionHashes({ project, kpis: specs, channels, stages, calendar });
  const defaults = project.thresholds ?? DEFAULT_THRESHOLDS;
  const kpis = specs.map((k): KpiModel => ({
    id: k.id, name: k.name, description: k.description, ...(k.owner ? { owner: k.owner } : {}),
    stages: [...k.stages], indicator: k.indicator, unit: k.unit, direction: k.direction,
    tags: [...(k.tags ?? [])], dimensions: [...(k.dimensions ?? [])], ...(k.target ? { target: k.target } : {}),
    bands: bandsOf(k, defaults), ...(k.min_sample !== undefined ? { minSample: k.min_sample } : {}),
    measure: normalizeMeasure(k.measure), dependsOn: kpiDependencies(k),
    sourcesRead: [...sourcesRead(k, project, byId)].sort(), tablesRead: [...tablesRead(k, project, byId)].sort(),
    definitionHash: hashes.get(k.id)!,
  }));
  const rep = project.privacy?.rep_facing_rx;
  const alerts = (input.alerts ?? []).map((a) => alertModel(a, specs));
  return {
    project,
    name: project.name,
    journey: project.journey.stages.map((s) => ({ id: s.id, name: s.name })),
    calendar,
    privacy: { minCellSize: project.privacy?.min_cell_size ?? DEFAULT_MIN_CELL_SIZE, ...(rep ? { repFacingRx: { optOut: rep.opt_out, sources: [...rep.sources] } } : {}) },
    words: entityWords(project),
    sources: project.sources,
    feeds: feedMonitors(project),
    ...engineFacts(project, input.kpis, input.scorecards ?? []),
    entity: { source: entity, key: Array.isArray(key) ? key[0]! : key },
    ...(eventSource(project) ? { events: eventSource(project)![0] } : {}),
    channels,
    stages,
    kpis,
    sliceSets: sliceSets(specs, input.scorecards ?? [], alerts),
    alerts,
  };
}

/** Each KPI's definition hash in a validated project; empty when it cannot be modelled (e.g. no project file). */
export function projectDefinitionHashes(files: { project?: { spec: ProjectSpec }; channels: ReadonlyArray<{ spec: ChannelSpec }>; kpis: ReadonlyArray<{ spec: KpiSpec }>; scorecards: ReadonlyArray<{ spec: ScorecardSpec }> }): Map<string, string> {
  if (!files.project) return new Map();
  try {
    const model = normalize({ project: files.project.spec, channels: files.channels.map((c) => c.spec), kpis: files.kpis.map((k) => k.spec), scorecards: files.scorecards.map((s) => s.spec) });
    return new Map(model.kpis.map((k) => [k.id, k.definitionHash]));
  } catch {
    return new Map();
  }
}

/** The warehouse's schema when kpiops.yaml names none. */
export const DEFAULT_WAREHOUSE_SCHEMA = 'public';
/** Seconds a warehouse statement may run unless kpiops.yaml says otherwise. */
export const DEFAULT_STATEMENT_TIMEOUT_S = 1800;

/** The project facts the engines and the snapshot loader read: the warehouse settings and what reads each source. */
function engineFacts(project: ProjectSpec, kpis: readonly KpiSpec[], scorecards: readonly ScorecardSpec[]): Pick<ProjectModel, 'warehouse' | 'readers' | 'briefReads'> {
  const w = project.warehouse;
  const entity = entitySourceName(project);
  return {
    warehouse: {
      ...(w?.url_env ? { urlEnv: w.url_env } : {}), schema: w?.schema ?? DEFAULT_WAREHOUSE_SCHEMA,
      tables: { ...w?.tables }, statementTimeoutS: w?.statement_timeout_s ?? DEFAULT_STATEMENT_TIMEOUT_S,
    },
    readers: sourceReaders(project, kpis, scorecards),
    briefReads: [...new Set([briefSource(project), entity])].filter((s): s is string => s !== undefined && project.sources[s] !== undefined),
  };
}
