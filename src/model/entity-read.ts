import type { KpiSpec } from '../spec/kpi.js';
import type { ProjectSpec } from '../spec/project.js';
import { entityJoin, entitySourceName } from './catalog.js';
import { kindFacts } from './kinds.js';
import { conditions } from './filter-walk.js';
import { measureRefs } from './measure-refs.js';


/** A column named with `source` that lives in the entity table (read through the source's reference). */
const throughEntity = (project: ProjectSpec, source: string, column: string) =>
  project.sources[source]?.columns[column] === undefined && entityJoin(project, source) !== undefined
  && project.sources[entitySourceName(project)!]?.columns[column] !== undefined;

/**
 * Why a KPI's own queries read the entity table, or undefined when they do not. This
 * mirrors what the compiler joins: the population (a denominator or a filter), funnel
 * steps (joined for their slices), filters and dimensions on the entity table's columns.
 */
export function ownEntityRead(kpi: KpiSpec, project: ProjectSpec): string | undefined {
  const entity = entitySourceName(project);
  if (!entity) return undefined;
  const m = kpi.measure as KpiSpec['measure'] & { population?: unknown };
  if (kindFacts(m.kind).populationDenominator) return 'its population';
  if (m.population) return 'its population filter';
  if (m.kind === 'funnel') return 'its funnel steps';
  const refs = measureRefs(kpi.measure, entity);
  if (refs.sources.some((s) => s.source === entity)) return 'its source';
  for (const f of refs.filters) {
    const c = conditions(f.filter, f.path).find((c) => throughEntity(project, f.source, c.column));
    if (c) return `its filter on ${c.column}`;
  }
  const sources = [...new Set(refs.sources.map((s) => s.source))];
  const dim = (kpi.dimensions ?? []).find((d) => sources.some((s) => throughEntity(project, s, d)));
  return dim ? `its dimension ${dim}` : undefined;
}

