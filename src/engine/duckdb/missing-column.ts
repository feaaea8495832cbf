import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { dataDiagnostic } from './data-diagnostic.js';
import type { StagePlan } from './stage-plan.js';

/** Findings about an export's mapping that name the preset when the mapping is a preset's. */

/** A column a part reads that its file lacks; for an export built by a preset, which preset needs it and for what. */
export function missingColumn(part: StagePlan['parts'][number], column: string, file: string): Diagnostic {
  const needs = part.preset?.reads.get(column);
  const preset = part.preset && needs ? { name: part.preset.name, columns: needs } : undefined;
  return dataDiagnostic('data/missing-column', { table: part.table, column, preset }, { file, table: part.table, column });
}

/** Values a map does not translate; for a preset's map, which preset and column, so the team knows what to replace. */
export function unmappedValue(part: StagePlan['parts'][number], from: string, column: string, found: { count: number; value: string; shownAs: string }, file: string): Diagnostic {
  const preset = part.preset?.reads.get(from)?.includes(column) ? { name: part.preset.name, column } : undefined;
  return dataDiagnostic('data/unmapped-value', { table: part.table, column: found.shownAs, count: found.count, value: found.value, preset }, { file, table: part.table, column: from });
}
