import type { Encoding } from '../spec/encoding.js';
import type { ExportColumnSpec, ProjectSpec, SourceSpec, UnpivotSpec } from '../spec/project.js';

/** A table a sealed snapshot must hold, the time column its coverage is read from, and its file's text encoding. */
export interface ExpectedTable {
  table: string;
  source: string;
  time?: { column: string; type: 'date' | 'timestamp'; mapping?: ExportColumnSpec; nullValues?: string[]; unpivot?: UnpivotSpec };
  /** The `encoding` kpiops.yaml sets for the table's file (undefined: UTF-8). */
  encoding?: Encoding;
  /** Where in kpiops.yaml that encoding is set: `sources.responses.exports.survey_2025`. */
  setting: string;
  /** The snapshot may leave this table out: the entity table when nothing reads it. */
  optional?: true;
}

/**
 * The tables of a snapshot for this project, in the order `kpiops.yaml` lists them: each
 * source, or each of its exports when it is built from several files. An export's time
 * column is the source's, through the export's mapping; an export that leaves it unmapped
 * has no time column (its rows have no time), and neither has a source without `time`.
 */
export function expectedTables(project: Pick<ProjectSpec, 'sources'>, optional: ReadonlySet<string> = new Set()): ExpectedTable[] {
  return Object.entries(project.sources).flatMap(([source, spec]) => expected(source, spec, optional.has(source)));
}

function expected(source: string, spec: SourceSpec, optional: boolean): ExpectedTable[] {
  const tables = sourceTables(source, spec);
  return optional ? tables.map((t) => ({ ...t, optional: true })) : tables;
}

function sourceTables(source: string, spec: SourceSpec): ExpectedTable[] {
  const column = spec.time;
  const type = column ? spec.columns[column]?.type : undefined;
  const timed = column !== undefined && (type === 'date' || type === 'timestamp');
  if (!spec.exports) return [{ table: source, source, ...(timed ? { time: { column, type } } : {}), ...(spec.encoding ? { encoding: spec.encoding } : {}), setting: `sources.${source}` }];
  return Object.entries(spec.exports).map(([table, e]) => {
    const mapping = timed ? e.columns?.[column] : undefined;
    // The export's null tokens and unpivot too: a month counted back from a melted column's name reads the melted rows.
    return { table, source, ...(timed && mapping ? { time: { column, type, mapping, ...(e.null_values ? { nullValues: e.null_values } : {}), ...(e.unpivot ? { unpivot: e.unpivot } : {}) } } : {}), ...(e.encoding ? { encoding: e.encoding } : {}), setting: `sources.${source}.exports.${table}` };
  });
}
