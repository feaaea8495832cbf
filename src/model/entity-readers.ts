import type { KpiSpec } from '../spec/kpi.js';
import type { ProjectSpec } from '../spec/project.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import { entityRead } from './dependencies.js';

/** Something that reads the entity table, and why: a KPI, a scorecard or a project setting. */
export interface EntityReader {
  kind: 'kpi' | 'scorecard' | 'project';
  id: string;
  why: string;
}

/**
 * Everything that reads the entity table: KPIs, scorecards with a brief (the n=1 list is
 * read from it), and the rep-facing privacy rule (its opt-out column). When nothing does,
 * a snapshot may leave the table's file out.
 */
export function entityReaders(project: ProjectSpec, kpis: readonly KpiSpec[], scorecards: readonly ScorecardSpec[] = []): EntityReader[] {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  const out: EntityReader[] = [];
  for (const kpi of kpis) {
    const why = entityRead(kpi, project, byId);
    if (why) out.push({ kind: 'kpi', id: kpi.id, why });
  }
  for (const card of scorecards) if (card.brief) out.push({ kind: 'scorecard', id: card.id, why: 'its brief' });
  if (project.privacy?.rep_facing_rx) out.push({ kind: 'project', id: 'privacy.rep_facing_rx', why: 'its opt-out column' });
  return out;
}

/** Readers in words, for a message: `KPI reach_target (its population), scorecard rep_weekly (its brief)`. */
export const readersText = (readers: readonly EntityReader[]) =>
  readers.map((r) => `${r.kind === 'project' ? 'kpiops.yaml' : r.kind === 'kpi' ? 'KPI' : 'scorecard'} ${r.id} (${r.why})`).join(', ');
