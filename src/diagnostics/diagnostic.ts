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
}

export const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export const hasErrors = (diagnostics: readonly Diagnostic[]) => diagnostics.some((d) => d.severity === 'error');

export const byLocation = (a: Diagnostic, b: Diagnostic) =>
  a.file.localeCompare(b.file) ||
  a.range.start.line - b.range.start.line ||
  a.range.start.character - b.range.start.character ||
  a.code.localeCompare(b.code);
