import type { ValuePath } from '../source/locate.js';
import type { Filter } from '../spec/filter.js';
import type { AggregateSpec, MeasureSpec } from '../spec/measure.js';
import type { ColumnSpec } from '../spec/project.js';

/** A source table a measure reads, with the path of the `source:` key naming it. */
export interface SourceUse {
  source: string;
  path: ValuePath;
}
export interface FilterUse {
  source: string;
  filter: Filter;
  path: ValuePath;
}
export interface ColumnUse {
  source: string;
  column: string;
  path: ValuePath;
  /** Whether the column must be a column of the source itself (not of the HCP table). */
  own?: boolean;
  /** The column types the use needs (a sum needs numbers), and what the column is for. */
  types?: ReadonlyArray<ColumnSpec['type']>;
  role?: string;
}

const NUMBERS = ['integer', 'number'] as const;
const DAYS = ['date', 'timestamp'] as const;
export interface AggregateUse {
  aggregate: AggregateSpec;
  path: ValuePath;
}

/** What one measure refers to: its sources, filters, columns and aggregates, each with its path in the KPI file. */
export interface MeasureRefs {
  sources: SourceUse[];
  filters: FilterUse[];
  columns: ColumnUse[];
  aggregates: AggregateUse[];
}

const M: ValuePath = ['measure'];

function aggregateRefs(a: AggregateSpec, path: ValuePath, refs: MeasureRefs) {
  refs.aggregates.push({ aggregate: a, path });
  refs.sources.push({ source: a.source, path: [...path, 'source'] });
  if (a.where) refs.filters.push({ source: a.source, filter: a.where, path: [...path, 'where'] });
  if (a.sum) refs.columns.push({ source: a.source, column: a.sum, path: [...path, 'sum'], own: true, types: NUMBERS, role: 'a sum' });
  if (a.sum_days) {
    for (const end of ['from', 'to'] as const) refs.columns.push({ source: a.source, column: a.sum_days[end], path: [...path, 'sum_days', end], own: true, types: DAYS, role: 'a span of days' });
  }
  if (a.followed_by) {
    const f = a.followed_by;
    refs.sources.push({ source: f.source, path: [...path, 'followed_by', 'source'] });
    refs.columns.push({ source: a.source, column: f.after, path: [...path, 'followed_by', 'after'], own: true, types: DAYS, role: 'the start of a window' });
    if (f.where) refs.filters.push({ source: f.source, filter: f.where, path: [...path, 'followed_by', 'where'] });
  }
  a.across?.forEach((dim, i) => refs.columns.push({ source: a.source, column: dim, path: [...path, 'across', i] }));
  if (a.used_in) {
    refs.sources.push({ source: a.used_in.source, path: [...path, 'used_in', 'source'] });
    if (a.used_in.where) refs.filters.push({ source: a.used_in.source, filter: a.used_in.where, path: [...path, 'used_in', 'where'] });
  }
}

/** Collects the references of a measure so rules and the compiler walk one list instead of every kind. */
export function measureRefs(measure: MeasureSpec, entitySource: string | undefined): MeasureRefs {
  const refs: MeasureRefs = { sources: [], filters: [], columns: [], aggregates: [] };
  const m = measure as Record<string, unknown> & MeasureSpec;
  if (typeof m.source === 'string') refs.sources.push({ source: m.source, path: [...M, 'source'] });
  const own = (column: unknown, key: string, types?: ColumnUse['types'], role?: string) => {
    if (typeof column === 'string' && typeof m.source === 'string') refs.columns.push({ source: m.source, column, path: [...M, key], own: true, ...(types ? { types, role } : {}) });
  };
  if ('where' in m && m.where && typeof m.source === 'string') refs.filters.push({ source: m.source, filter: m.where as Filter, path: [...M, 'where'] });
  if ('population' in m && m.population && entitySource) refs.filters.push({ source: entitySource, filter: m.population as Filter, path: [...M, 'population'] });
  switch (measure.kind) {
    case 'ratio':
      aggregateRefs(measure.numerator, [...M, 'numerator'], refs);
      aggregateRefs(measure.denominator, [...M, 'denominator'], refs);
      break;
    case 'growth':
      aggregateRefs(measure.of, [...M, 'of'], refs);
      break;
    case 'funnel':
      own(measure.per, 'per');
      measure.steps.forEach((step, i) => refs.filters.push({ source: measure.source, filter: step.where, path: [...M, 'steps', i, 'where'] }));
      break;
    case 'score':
      own(measure.column, 'column', NUMBERS, 'a score');
      break;
    case 'average':
      own(measure.column, 'column', NUMBERS, 'an average per HCP');
      break;
    case 'attainment': {
      const g = measure.goals;
      const at = [...M, 'goals'];
      refs.sources.push({ source: g.source, path: [...at, 'source'] });
      refs.columns.push({ source: g.source, column: g.points, path: [...at, 'points'], own: true, types: NUMBERS, role: 'goal points' });
      for (const key of ['start', 'end'] as const) refs.columns.push({ source: g.source, column: g[key], path: [...at, key], own: true, types: DAYS, role: `the goal period's ${key}` });
      break;
    }
    case 'benchmark':
      // The benchmarks table has a fixed shape: one value per period, company and metric.
      for (const column of ['period', 'company', 'metric']) own(column, 'source', undefined, undefined);
      own('value', 'source', NUMBERS, 'a benchmark value');
      break;
    default:
      break;
  }
  return refs;
}
