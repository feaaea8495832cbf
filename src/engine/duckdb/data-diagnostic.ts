import type { Code, ParamsOf } from '../../diagnostics/codes.js';
import { dataDiagnostic as create, type DataLocation } from '../../diagnostics/create.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';

export type { DataLocation };

export function dataDiagnostic<C extends Code>(code: C, params: ParamsOf<C>, at: DataLocation): Diagnostic {
  return create(code, params, at);
}

/** DuckDB's error message on one line: its first three non-empty lines, which name the cause. */
export function errorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' ');
}
