import type { ColumnSpec, ExportColumnSpec, ExportSpec, PartSpec, SourceSpec, UnpivotSpec } from '../spec/project.js';
import type { EntityWords } from './entity-words.js';
import type { FeedMonitorModel } from './monitor.js';
import type { Calendar } from './period.js';
import type { SourceReader } from './source-readers.js';

/**
 * A declared table as the stages after validation read it. The declaration has no defaults
 * to fill, so the model keeps it as written; the stages name it through these types, so
 * that a default added later is filled in `normalize.ts` and read the same everywhere.
 */
export type SourceModel = SourceSpec;
export type ColumnModel = ColumnSpec;
/** One export file a source is built from, its column mappings and value maps. */
export type ExportModel = ExportSpec;
export type ExportColumnModel = ExportColumnSpec;
export type UnpivotModel = UnpivotSpec;
/** Where an export column's value comes from: a column, a constant, or a part of the file name. */
export type PartModel = PartSpec;

/** Where the warehouse holds the sources, defaults filled in. */
export interface WarehouseModel {
  /** The environment variable holding the PostgreSQL URL, when kpiops.yaml names one (else `DATABASE_URL`). */
  urlEnv?: string;
  schema: string;
  /** Source → its warehouse table or view (absent: the source's own name). */
  tables: Record<string, string>;
  /** Seconds a statement may run. */
  statementTimeoutS: number;
}

/** For each source, the KPIs that cannot be computed without it, in the order they were modelled. */
export function kpisReading(model: Pick<ProjectModel, 'readers'>): Map<string, string[]> {
  return new Map([...model.readers].flatMap(([source, readers]) => {
    const kpis = readers.filter((r) => r.kind === 'kpi').map((r) => r.id);
    return kpis.length > 0 ? [[source, kpis]] : [];
  }));
}

/** The project facts the compiler, the evaluator and the engines read, defaults filled in (built by `normalize.ts`). */
export interface ProjectModel {
  /** The project's name, shown in scorecards and reviews. */
  name: string;
  /** The customer-journey stages in order, earliest first, with the names readers see. */
  journey: Array<{ id: string; name: string }>;
  calendar: Calendar;
  privacy: {
    /** Cells counting fewer HCPs than this are suppressed. */
    minCellSize: number;
    repFacingRx?: { optOut: string; sources: string[] };
  };
  /** The HCP table and its key. */
  entity: { source: string; key: string };
  /** What the counted entities are called ("HCP", "customer"). */
  words: EntityWords;
  /** The interactions table (the source with channel and event roles), if any. */
  events?: string;
  /** The declared tables: columns and their types, roles, keys (the vocabulary of every query). */
  sources: Record<string, SourceModel>;
  warehouse: WarehouseModel;
  /**
   * What reads each source: the KPIs modelled (in the order they were given), the
   * scorecards with a brief and the rep-facing rule. A source absent is read by nothing.
   */
  readers: ReadonlyMap<string, SourceReader[]>;
  /** The sources a scorecard's brief reads: the interaction source it lists touches from and the entity table. */
  briefReads: string[];
  /** The data feeds watched for their owners (sources with `owners`), in kpiops.yaml's order, defaults filled. */
  feeds: FeedMonitorModel[];
}
