import type { ProjectSpec } from '../spec/project.js';
import type { KpiSpec } from '../spec/kpi.js';
import { entitySourceName } from './catalog.js';
import { ownEntityRead } from './entity-read.js';
import { measureRefs } from './measure-refs.js';

import { kpiRefs, parseExpression } from './expression.js';

/** The KPIs a KPI is computed from (derived formulas and benchmark comparisons). */
export function kpiDependencies(kpi: KpiSpec): string[] {
  if (kpi.measure.kind === 'benchmark') return [kpi.measure.kpi];
  if (kpi.measure.kind !== 'derived') return [];
  const parsed = parseExpression(kpi.measure.expression);
  return 'expr' in parsed ? [...new Set(kpiRefs(parsed.expr).map((r) => r.id))] : [];
}

/**
 * The source declarations a KPI's numbers depend on, directly or through the KPIs it is
 * computed from: a KPI reading a table that references the entity table counts the
 * entity table's declaration too (its key decides what one entity is). This feeds the
 * definition hash; which tables must be in a snapshot is `tablesRead`.
 */
export function sourcesRead(kpi: KpiSpec, project: ProjectSpec, byId: ReadonlyMap<string, KpiSpec>, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(kpi.id)) return out;
  seen.add(kpi.id);
  const entity = entitySourceName(project);
  for (const use of measureRefs(kpi.measure, entity).sources) out.add(use.source);
  if (entity && [...out].some((s) => s !== entity)) out.add(entity);
  for (const dep of kpiDependencies(kpi)) {
    const other = byId.get(dep);
    if (other) for (const s of sourcesRead(other, project, byId, seen)) out.add(s);
  }
  return out;
}

/** Why a KPI's queries read the entity table, itself or through a KPI it is computed from; undefined when they do not. */
export function entityRead(kpi: KpiSpec, project: ProjectSpec, byId: ReadonlyMap<string, KpiSpec>, seen = new Set<string>()): string | undefined {
  if (seen.has(kpi.id)) return undefined;
  seen.add(kpi.id);
  const own = ownEntityRead(kpi, project);
  if (own) return own;
  for (const dep of kpiDependencies(kpi)) {
    const other = byId.get(dep);
    if (other && entityRead(other, project, byId, seen)) return `computed from KPI ${dep}`;
  }
  return undefined;
}

/** The tables a KPI's queries read, directly or through the KPIs it is computed from: what a snapshot must hold for it. */
export function tablesRead(kpi: KpiSpec, project: ProjectSpec, byId: ReadonlyMap<string, KpiSpec>): Set<string> {
  const entity = entitySourceName(project);
  const out = sourcesRead(kpi, project, byId);
  if (entity && !entityRead(kpi, project, byId)) out.delete(entity);
  return out;
}

/** For each table, the KPIs that cannot be computed without it. */
export function kpisBySource(kpis: readonly KpiSpec[], project: ProjectSpec): Map<string, string[]> {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  const out = new Map<string, string[]>();
  for (const kpi of kpis) {
    for (const source of tablesRead(kpi, project, byId)) out.set(source, [...(out.get(source) ?? []), kpi.id]);
  }
  return out;
}
