import type { Code, ParamsOf } from '../../diagnostics/codes.js';
import { START, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnosticAt } from '../../source/yaml-file.js';

/** Where a data finding is: the file (or manifest), the table, and the column and sample row when known. */
export interface DataLocation {
  file: string;
  table: string;
  column?: string;
  row?: Record<string, unknown>;
}

export function dataDiagnostic<C extends Code>(code: C, params: ParamsOf<C>, at: DataLocation): Diagnostic {
  return {
    ...diagnosticAt(code, params, at.file, START),
    table: at.table,
    ...(at.column !== undefined ? { column: at.column } : {}),
    ...(at.row !== undefined ? { row: at.row } : {}),
  };
}

/** DuckDB's error message on one line: its first three non-empty lines, which name the cause. */
export function errorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' ');
}
