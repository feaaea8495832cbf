import { jsonText } from '../../text/terminal.js';
import type { Diagnostic } from '../diagnostic.js';

/**
 * Machine output: the diagnostics as they are (0-based ranges, LSP-style), with their `data`
 * (the message's parameters) and `replacement` (a did-you-mean fix), and counts; safe on a terminal.
 */
export function formatJson(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return `${jsonText({ errors, warnings: diagnostics.length - errors, diagnostics })}\n`;
}
