import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { dataDiagnostic } from './data-diagnostic.js';
import type { StagePlan } from './stage.js';

/** A column a part reads that its file lacks; for an export built by a preset, which preset needs it and for what. */
export function missingColumn(part: StagePlan['parts'][number], column: string, file: string): Diagnostic {
  const needs = part.preset?.reads.get(column);
  const preset = part.preset && needs ? { name: part.preset.name, columns: needs } : undefined;
  return dataDiagnostic('data/missing-column', { table: part.table, column, preset }, { file, table: part.table, column });
}
