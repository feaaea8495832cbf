import type { Code, ParamsOf, Severity } from './codes.js';

export type { Severity };

/** A 0-based position, as in the Language Server Protocol; formatters print 1-based. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}


interface Finding<C extends Code> {
  code: C;
  severity: Severity;
  message: string;
  /** Path relative to the project root, with `/` separators. */
  file: string;
  range: Range;
  /** The parameters the message was made from, so JSON readers and editors need not parse English. */
  data: ParamsOf<C>;
  /** The text that fixes the finding when put in place of `range` (a did-you-mean suggestion). */
  replacement?: string;
}

/** A finding about a key or value of a YAML file (or about the whole file). */
export interface YamlDiagnostic<C extends Code = Code> extends Finding<C> {
  /** JSON pointer of the value the finding is about, when it is about a value. */
  path?: string;
  table?: never;
  column?: never;
  row?: never;
}

/** A finding about snapshot data: its range is the start of the file (or manifest) it names. */
export interface DataDiagnostic<C extends Code = Code> extends Finding<C> {
  table: string;
  column?: string;
  /** A sample offending row. */
  row?: Record<string, unknown>;
  path?: never;
}

/**
 * One finding about one place in one file. Without a type argument it is the union over
 * all codes, so testing `code` narrows `data` to that code's parameters.
 */
export type Diagnostic<C extends Code = Code> = C extends Code ? YamlDiagnostic<C> | DataDiagnostic<C> : never;

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
