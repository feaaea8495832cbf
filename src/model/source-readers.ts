import type { KpiSpec } from '../spec/kpi.js';
import type { ProjectSpec } from '../spec/project.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import { entitySourceName } from './catalog.js';
import { entityRead, kpiDependencies, tablesRead } from './dependencies.js';
import { measureRefs } from './measure-refs.js';

/** Something that reads a source, and why: a KPI, a scorecard or a project setting. */
export interface SourceReader {
  kind: 'kpi' | 'scorecard' | 'project';
  id: string;
  why: string;
}

/** The interaction source an n=1 brief is built from: the first with touches, channel, event and time. */
export const briefSource = (project: ProjectSpec) =>
  Object.entries(project.sources).find(([, spec]) => spec.touch && spec.channel && spec.event && spec.time)?.[0];

/** Why a KPI reads a source other than the entity table: its own measure, or a KPI it is computed from. */
function kpiRead(kpi: KpiSpec, source: string, project: ProjectSpec, byId: ReadonlyMap<string, KpiSpec>): string {
  if (measureRefs(kpi.measure, entitySourceName(project)).sources.some((s) => s.source === source)) return 'its source';
  const dep = kpiDependencies(kpi).find((d) => byId.has(d) && tablesRead(byId.get(d)!, project, byId).has(source));
  return dep ? `computed from KPI ${dep}` : 'its source';
}

/**
 * Every source that something reads, with its readers: KPIs (through what the compiler
 * joins, `tablesRead`), scorecards with a brief (the interaction source and the entity
 * table), and the rep-facing privacy rule (the entity table's opt-out column). A source
 * absent from the map is read by nothing: a snapshot may leave its file out. A column
 * that `references` another source is no reader: only the reference check reads the
 * target, and it is skipped (and said) when the target is left out.
 */
export function sourceReaders(project: ProjectSpec, kpis: readonly KpiSpec[], scorecards: readonly ScorecardSpec[] = []): Map<string, SourceReader[]> {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  const entity = entitySourceName(project);
  const out = new Map<string, SourceReader[]>();
  const add = (source: string | undefined, reader: SourceReader) => {
    if (source === undefined || !project.sources[source]) return;
    out.set(source, [...(out.get(source) ?? []), reader]);
  };
  for (const kpi of kpis) {
    for (const source of tablesRead(kpi, project, byId)) {
      const why = source === entity ? entityRead(kpi, project, byId) : kpiRead(kpi, source, project, byId);
      if (why) add(source, { kind: 'kpi', id: kpi.id, why });
    }
  }
  for (const card of scorecards.filter((c) => c.brief)) {
    for (const source of new Set([briefSource(project), entity])) add(source, { kind: 'scorecard', id: card.id, why: 'its brief' });
  }
  if (project.privacy?.rep_facing_rx) add(entity, { kind: 'project', id: 'privacy.rep_facing_rx', why: 'its opt-out column' });
  return out;
}

/** What reads the entity table (none: its file may be left out). */
export function entityReaders(project: ProjectSpec, kpis: readonly KpiSpec[], scorecards: readonly ScorecardSpec[] = []): SourceReader[] {
  const entity = entitySourceName(project);
  return entity ? sourceReaders(project, kpis, scorecards).get(entity) ?? [] : [];
}

/** The sources nothing reads, in the order `kpiops.yaml` lists them. */
export function unreadSources(project: ProjectSpec, kpis: readonly KpiSpec[], scorecards: readonly ScorecardSpec[] = []): Set<string> {
  const readers = sourceReaders(project, kpis, scorecards);
  return new Set(Object.keys(project.sources).filter((s) => !readers.has(s)));
}

/** Readers in words, for a message: `KPI reach_target (its population), scorecard rep_weekly (its brief)`. */
export const readersText = (readers: readonly SourceReader[]) =>
  readers.map((r) => `${r.kind === 'project' ? 'kpiops.yaml' : r.kind === 'kpi' ? 'KPI' : 'scorecard'} ${r.id} (${r.why})`).join(', ');
