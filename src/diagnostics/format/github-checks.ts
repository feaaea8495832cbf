import type { Diagnostic } from '../diagnostic.js';

/** One annotation of a GitHub check run, in the shape the Checks API takes. */
export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  message: string;
  title: string;
}

/**
 * Check-run annotations at the lines of the findings, with the code as title. GitHub lines
 * are 1-based and its end column inclusive; it takes columns only for a range on one line.
 * `prefix` is the project's path inside the repository, so the annotation lands on the file.
 */
export function checkAnnotations(diagnostics: readonly Diagnostic[], prefix = ''): Annotation[] {
  return diagnostics.map((d) => {
    const one = d.range.start.line === d.range.end.line;
    return {
      path: `${prefix}${d.file}`, start_line: d.range.start.line + 1, end_line: d.range.end.line + 1,
      ...(one ? { start_column: d.range.start.character + 1, end_column: Math.max(d.range.end.character, d.range.start.character + 1) } : {}),
      annotation_level: d.severity === 'error' ? 'failure' : 'warning',
      message: d.message, title: d.code,
    };
  });
}
