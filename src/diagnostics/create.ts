import { CODES, type Code, type ParamsOf } from './codes.js';
import { START, type DataDiagnostic, type Diagnostic, type Range, type YamlDiagnostic } from './diagnostic.js';

/** Where a finding in a YAML file points: the file, the range, and the JSON pointer of the value when known. */
export interface YamlLocation {
  file: string;
  range: Range;
  path?: string | undefined;
}

/** Where a data finding is: the file (or manifest), the table, and the column and sample row when known. */
export interface DataLocation {
  file: string;
  table: string;
  column?: string | undefined;
  row?: Record<string, unknown> | undefined;
}

/** The message, severity and fix of a code, from its parameters: the one place they are made. */
function finding<C extends Code>(code: C, params: ParamsOf<C>) {
  const spec = CODES[code];
  const message = (spec.message as (p: ParamsOf<C>) => string)(params);
  // Did-you-mean is data, not English: the suggestion is the replacement an editor can apply.
  const suggestion = (params as { suggestion?: unknown }).suggestion;
  return { code, severity: spec.severity, message, data: params, ...(typeof suggestion === 'string' ? { replacement: suggestion } : {}) };
}

/** A finding about a place in a YAML file. */
export function diagnostic<C extends Code>(code: C, params: ParamsOf<C>, at: YamlLocation): Diagnostic<C> {
  const { data, replacement, ...head } = finding(code, params);
  const made: YamlDiagnostic<C> = {
    ...head, file: at.file, range: at.range, ...(at.path !== undefined ? { path: at.path } : {}), data, ...(replacement !== undefined ? { replacement } : {}),
  };
  return made as Diagnostic<C>;
}

/** A finding about snapshot data: it names its table (and column and a sample row) instead of a line. */
export function dataDiagnostic<C extends Code>(code: C, params: ParamsOf<C>, at: DataLocation): Diagnostic<C> {
  const { data, replacement, ...head } = finding(code, params);
  const made: DataDiagnostic<C> = {
    ...head, file: at.file, range: START, data, ...(replacement !== undefined ? { replacement } : {}),
    table: at.table, ...(at.column !== undefined ? { column: at.column } : {}), ...(at.row !== undefined ? { row: at.row } : {}),
  };
  return made as Diagnostic<C>;
}
