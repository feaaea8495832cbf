import type { Diagnostic } from '../diagnostic.js';

/** Machine output: the diagnostics as they are (0-based ranges, LSP-style), with counts. */
export function formatJson(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return `${JSON.stringify({ errors, warnings: diagnostics.length - errors, diagnostics }, null, 2)}\n`;
}
