import type { SourceModel } from '../../model/project-model.js';
import type { ExportPart } from './export-columns.js';

// The plan alone, apart from the staging that runs it: the checks staging calls (lookups,
// missing columns) read a plan too, and must not import the file that calls them.

/** Where the staged rows of a source come from: the table of the same name, or its exports. */
export interface StagePlan {
  source: string;
  spec: SourceModel;
  /** Manifest tables read, each with its mapping (no `columns`: columns taken by name); an export built by a preset names it. */
  parts: Array<ExportPart & { preset?: { name: string; reads: ReadonlyMap<string, string[]> } }>;
}
