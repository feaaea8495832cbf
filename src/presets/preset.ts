import type { ExportColumnSpec } from '../spec/project.js';
import type { PresetName } from '../spec/presets.js';

/** A public page a preset's field names and values were taken from. */
export interface Reference {
  title: string;
  url: string;
}

/**
 * A lookup in a preset names the other export by the preset that builds it (the team names
 * its exports); validation puts in the name of the project's export using that preset.
 */
export interface PresetLookup {
  lookup: { preset: string; match: string; on: string; take: string };
}

export type PresetColumn = ExportColumnSpec | PresetLookup;

/**
 * A wide layout whose melted columns are each team's own (a survey's questions): the export
 * gives `unpivot.columns`, and its `value` and `name` must be the names the preset's columns read.
 */
export interface TeamUnpivot {
  columns: 'team';
  value: string;
  name: string;
}

/**
 * A vendor's export layout mapped onto one of kpiops's canonical tables. An export that
 * names it gets these column mappings; columns the team writes beside it replace the
 * preset's, column by column.
 */
export interface Preset {
  /** `vendor/object`, e.g. `veeva_crm/call2`. */
  name: PresetName;
  /** The canonical table (a source of the demo project) the export builds. */
  table: string;
  /** What one row of the export is, in the vendor's words. */
  object: string;
  description: string;
  columns: Record<string, PresetColumn>;
  /**
   * For a wide layout: the export-wide `unpivot` (the kpiops.yaml syntax) that melts its
   * period or question columns into rows; `columns` then read the melted value and name.
   */
  unpivot?: { columns: Record<string, Record<string, string | number | boolean | null>>; value: string; name?: string } | TeamUnpivot;
  /** The pages each field and value comes from. */
  references: Reference[];
  /** What the preset does not do, and what the team must do instead. */
  notes: string[];
}
