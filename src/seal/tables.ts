import type { ExportColumnSpec, ProjectSpec } from '../spec/project.js';

/** A table a sealed snapshot must hold, and the time column its coverage is read from. */
export interface ExpectedTable {
  table: string;
  source: string;
  time?: { column: string; type: 'date' | 'timestamp'; mapping?: ExportColumnSpec };
}

/**
 * The tables of a snapshot for this project, in the order `kpiops.yaml` lists them: each
 * source, or each of its exports when it is built from several files. An export's time
 * column is the source's, through the export's mapping; an export that leaves it unmapped
 * has no time column (its rows have no time), and neither has a source without `time`.
 */
export function expectedTables(project: ProjectSpec): ExpectedTable[] {
  return Object.entries(project.sources).flatMap(([source, spec]) => {
    const column = spec.time;
    const type = column ? spec.columns[column]?.type : undefined;
    const timed = column !== undefined && (type === 'date' || type === 'timestamp');
    if (!spec.exports) return [{ table: source, source, ...(timed ? { time: { column, type } } : {}) }];
    return Object.entries(spec.exports).map(([table, e]) => {
      const mapping = timed ? e.columns?.[column] : undefined;
      return { table, source, ...(timed && mapping ? { time: { column, type, mapping } } : {}) };
    });
  });
}
