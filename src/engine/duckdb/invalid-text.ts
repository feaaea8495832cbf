import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { shownBytes } from '../../text/bytes.js';
import type { InvalidBytes } from './snapshot-files.js';
import type { Encoding } from '../../spec/encoding.js';
import { dataDiagnostic, type DataLocation } from './data-diagnostic.js';

const NAMES: Record<Encoding, string> = { 'utf-8': 'UTF-8', 'latin-1': 'Latin-1', 'windows-1252': 'Windows-1252', 'utf-16': 'UTF-16' };

/** What to do about it: the encoding the bytes look like and where to set it, else where an encoding is set. */
function hint(invalid: InvalidBytes, declared: Encoding | undefined, setting: string): string {
  const [a, b] = invalid.start;
  const bom = (a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff);
  if (invalid.encoding === 'utf-16' && !bom) return ' A UTF-16 file must start with a byte-order mark (0xFF 0xFE or 0xFE 0xFF), which says its byte order; export it again with one, or set the encoding the file is in.';
  const { likely } = invalid;
  const set = (e: Encoding) => `set \`encoding: ${e}\` on ${setting} in kpiops.yaml`;
  if (likely && likely.encoding !== declared) return ` They look like ${likely.reads}: if the file is ${NAMES[likely.encoding]}, ${set(likely.encoding)}.`;
  return ` Fix the file, or ${declared ? 'correct' : 'set'} \`encoding\` on ${setting} in kpiops.yaml (utf-8, latin-1, windows-1252 or utf-16).`;
}

/** The diagnostic for a table file whose bytes are not text in the encoding it is read in. */
export function invalidTextDiagnostic(table: string, invalid: InvalidBytes, declared: Encoding | undefined, setting: string, at: DataLocation): Diagnostic {
  const encoding = `${NAMES[invalid.encoding]}${declared ? '' : ' (the encoding a file is read in when kpiops.yaml sets none)'}`;
  return dataDiagnostic('data/invalid-encoding', { table, encoding, line: invalid.line, bytes: shownBytes(invalid.bytes), hint: hint(invalid, declared, setting) }, at);
}

/** Parquet text is UTF-8 by definition: an encoding set for a Parquet table is a stale or mistaken setting. */
export function ignoredEncoding(table: string, format: string, declared: Encoding | undefined, setting: string, at: DataLocation): Diagnostic | undefined {
  if (format !== 'parquet' || declared === undefined || declared === 'utf-8') return undefined;
  return dataDiagnostic('data/encoding-ignored', { table, encoding: declared, setting }, at);
}
