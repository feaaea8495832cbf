import { entitySourceName, eventSource, resolveColumn, visibleColumns } from '../model/catalog.js';
import type { ProjectFiles } from '../validate/files.js';
import type { ColumnSpec } from '../spec/project.js';

/** An id the project declares, with what hover and completion show for it. */
export interface Named {
  id: string;
  name?: string | undefined;
  description?: string | undefined;
  /** The value as written, when it is not text (a number in a column's `values`). */
  value?: string | number | undefined;
}

/** A column a filter on one source may name: its own, or the HCP table's through a reference. */
export interface FilterColumn extends Named {
  type: ColumnSpec['type'];
  /** The only values `kpiops validate` accepts for it: the channel ids for a channel column, else its `values`. */
  values?: Named[] | undefined;
}

/** The ids a project declares, each list sorted by id so the same project gives the same schemas. */
export interface Vocabulary {
  channels: Named[];
  kpis: Named[];
  stages: Named[];
  /** Tags of the KPIs; unknown while a KPI file fails validation (its tags cannot be read). */
  tags?: string[] | undefined;
  sources: Named[];
  /** The HCP table, whose columns population filters name. */
  entity?: string | undefined;
  /** Every column name of any source, with the sources that have it. */
  columns: Named[];
  /** Columns holding numbers, and columns holding dates or timestamps, in any source. */
  numeric: string[];
  temporal: string[];
  /** For each source, the columns its filters may name. */
  filters: Record<string, FilterColumn[]>;
  /** The values of the interactions table's event column, when it lists them. */
  events?: Named[] | undefined;
}

const byId = (a: Named, b: Named) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const sorted = (ids: Iterable<string>) => [...new Set(ids)].sort();
const valuesOf = (column: ColumnSpec) => column.values?.map((v) => ({ id: String(v), value: v }));

/** What the project declares, or nothing without a valid `kpiops.yaml` (there is then no source or stage to list). */
export function vocabularyOf(files: ProjectFiles): Vocabulary | undefined {
  const project = files.project?.spec;
  if (!project) return undefined;
  const named = (specs: ReadonlyArray<{ spec: { id: string; name: string; description?: string | undefined } }>, unchecked: Set<string>) =>
    [...specs.map(({ spec }) => ({ id: spec.id, name: spec.name, description: spec.description })), ...[...unchecked].map((id) => ({ id }))].sort(byId);
  const channels = named(files.channels, files.unchecked.channel);
  const sources = Object.entries(project.sources);
  const holders = new Map<string, string[]>();
  for (const [source, spec] of sources) for (const name of Object.keys(spec.columns)) holders.set(name, [...(holders.get(name) ?? []), source]);
  const ofType = (...types: string[]) => sorted(sources.flatMap(([, s]) => Object.entries(s.columns).filter(([, c]) => types.includes(c.type)).map(([n]) => n)));
  const filters: Record<string, FilterColumn[]> = {};
  for (const [source] of sources) {
    filters[source] = sorted(visibleColumns(project, source)).map((column) => {
      const resolved = resolveColumn(project, source, column)!;
      const isChannel = project.sources[resolved.source]?.channel === column;
      const where = resolved.source === source ? source : `${resolved.source} (through ${resolved.via})`;
      return { id: column, type: resolved.spec.type, description: resolved.spec.description ?? `A column of ${where}.`, values: isChannel ? channels : valuesOf(resolved.spec) };
    });
  }
  const events = eventSource(project);
  return {
    channels,
    kpis: named(files.kpis, files.unchecked.kpi),
    stages: project.journey.stages.map((s) => ({ id: s.id, name: s.name, description: s.description })).sort(byId),
    tags: files.unchecked.kpi.size > 0 ? undefined : sorted(files.kpis.flatMap(({ spec }) => spec.tags ?? [])),
    sources: sources.map(([id, s]) => ({ id, description: s.description })).sort(byId),
    entity: entitySourceName(project),
    columns: sorted(holders.keys()).map((id) => ({ id, description: `A column of ${holders.get(id)!.sort().join(', ')}.` })),
    numeric: ofType('integer', 'number'),
    temporal: ofType('date', 'timestamp'),
    filters,
    events: events ? valuesOf(events[1].columns[events[1].event!]!) : undefined,
  };
}
