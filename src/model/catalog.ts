import type { ColumnSpec, ProjectSpec, SourceSpec } from '../spec/project.js';

/** Where a column named in a KPI lives: in the measure's own source, or in the HCP table it references. */
export interface ResolvedColumn {
  source: string;
  column: string;
  spec: ColumnSpec;
  /** The column of the measure's source that joins to the HCP table, when the column lives there. */
  via?: string;
}

/** A project's source declarations: all these questions read. */
export type Sources = Pick<ProjectSpec, 'sources'>;

const entityNames = new WeakMap<Sources, string | undefined>();

/** The name of the HCP table (the source with `entity: true`); rules ask for it for every KPI, so it is remembered. */
export function entitySourceName(project: Sources): string | undefined {
  if (!entityNames.has(project)) entityNames.set(project, Object.entries(project.sources).find(([, s]) => s.entity)?.[0]);
  return entityNames.get(project);
}

/** The column of `source` that references the HCP table, if any. */
export function entityJoin(project: Sources, source: string): string | undefined {
  const entity = entitySourceName(project);
  const spec = project.sources[source];
  if (!entity || !spec || source === entity) return undefined;
  return Object.entries(spec.columns).find(([, c]) => c.references === entity)?.[0];
}

/** Resolves a column name used with `source`: its own columns first, then the HCP table's. */
export function resolveColumn(project: Sources, source: string, column: string): ResolvedColumn | undefined {
  const own = project.sources[source]?.columns[column];
  if (own) return { source, column, spec: own };
  const via = entityJoin(project, source);
  const entity = entitySourceName(project);
  const spec = entity && via ? project.sources[entity]?.columns[column] : undefined;
  return spec && entity && via ? { source: entity, column, spec, via } : undefined;
}

/** Every column name usable with `source` (for did-you-mean suggestions). */
export function visibleColumns(project: Sources, source: string): string[] {
  const own = Object.keys(project.sources[source]?.columns ?? {});
  const entity = entitySourceName(project);
  const joined = entity && entityJoin(project, source) ? Object.keys(project.sources[entity]?.columns ?? {}) : [];
  return [...own, ...joined];
}

/** The source whose `channel` and `event` roles name channels and their events (the interactions table). */
export function eventSource(project: ProjectSpec): [string, SourceSpec] | undefined {
  return Object.entries(project.sources).find(([, s]) => s.channel && s.event);
}

export const stageIds = (project: ProjectSpec) => project.journey.stages.map((s) => s.id);

/**
 * The declared values of a dimension, from the first source column of that name that
 * declares `values` (channel columns accept the channel ids given).
 */
export function dimensionValues(project: ProjectSpec, dimension: string, channels: readonly string[]): string[] | undefined {
  for (const source of Object.values(project.sources)) {
    const column = source.columns[dimension];
    if (!column) continue;
    if (source.channel === dimension) return [...channels];
    if (column.values) return column.values.map(String);
  }
  return undefined;
}

/**
 * The answer scale a score KPI reads: the column's `scale`, or, for a column scaled by
 * another (`scale_by`), the scale of the one value the KPI's filter pins that column to.
 */
export function scoreScale(project: Sources, source: string, column: string, where: Record<string, unknown> | undefined): { min: number; max: number } | undefined {
  const spec = project.sources[source]?.columns[column];
  if (spec?.scale) return spec.scale;
  if (!spec?.scale_by) return undefined;
  const pinned = where?.[spec.scale_by.column];
  const value = Array.isArray(pinned) && pinned.length === 1 ? pinned[0] : pinned;
  return typeof value === 'string' || typeof value === 'number' ? spec.scale_by.scales[String(value)] : undefined;
}
