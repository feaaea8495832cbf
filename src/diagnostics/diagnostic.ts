/** A 0-based position, as in the Language Server Protocol; formatters print 1-based. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning';

/** One finding about one place in one file. */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  /** Path relative to the project root, with `/` separators. */
  file: string;
  range: Range;
  /** JSON pointer of the value the finding is about, when it is about a value. */
  path?: string;
  /** For findings about snapshot data: the table and column, and a sample offending row. */
  table?: string;
  column?: string;
  row?: Record<string, unknown>;
}

export const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export const hasErrors = (diagnostics: readonly Diagnostic[]) => diagnostics.some((d) => d.severity === 'error');

/** The process exit code for a set of findings: 0 clean (warnings allowed), 1 errors, 2 an internal error. */
export function exitCodeFor(diagnostics: readonly Diagnostic[]): 0 | 1 | 2 {
  if (diagnostics.some((d) => d.code.startsWith('internal/'))) return 2;
  return hasErrors(diagnostics) ? 1 : 0;
}

export const byLocation = (a: Diagnostic, b: Diagnostic) =>
  a.file.localeCompare(b.file) ||
  a.range.start.line - b.range.start.line ||
  a.range.start.character - b.range.start.character ||
  a.code.localeCompare(b.code);
