import { START, type Diagnostic } from '../diagnostics/diagnostic.js';
import { dataDiagnostic, diagnostic } from '../diagnostics/create.js';
import type { SnapshotSpec } from '../spec/snapshot.js';
import { tableEntry, type Measured } from './manifest.js';
import type { ExpectedTable } from './tables.js';

export interface CompareInput {
  manifest: SnapshotSpec;
  expected: readonly ExpectedTable[];
  measured: ReadonlyMap<string, Measured>;
  unclaimed: readonly string[];
  keepCoverage: boolean;
  shownAs: string;
}

const shown = (v: string | undefined) => (v === undefined ? 'none' : v === '\t' ? 'tab' : v);

/**
 * Every way the manifest differs from what sealing the files now would write, one finding
 * each, in the project's table order: a table's rows, SHA-256, format, delimiter,
 * coverage_start or coverage_end; a table the manifest lacks or the project does not read; a file no table
 * claims. (A file the manifest names that is missing is found while measuring.)
 */
export function manifestDifferences(input: CompareInput): Diagnostic[] {
  const { manifest, shownAs } = input;
  const out: Diagnostic[] = [];
  const at = (table: string, file: string) => ({ file: `${shownAs}/${file}`, table });
  for (const { table } of input.expected) {
    const m = input.measured.get(table);
    if (!m) continue;
    const written = manifest.tables[table];
    const where = at(table, m.file);
    if (!written) {
      out.push(dataDiagnostic('snapshot/unsealed-table', { table, file: m.file }, where));
      continue;
    }
    const now = tableEntry(m, written, input.keepCoverage);
    if (written.rows !== now.rows) out.push(dataDiagnostic('snapshot/rows-differ', { table, file: m.file, expected: written.rows, actual: now.rows }, where));
    if (written.sha256 !== now.sha256) out.push(dataDiagnostic('snapshot/checksum-differs', { table, file: m.file, expected: written.sha256, actual: now.sha256 }, where));
    for (const field of ['format', 'delimiter', 'coverage_start', 'coverage_end'] as const) {
      const [before, after] = [written[field], now[field]];
      if (before !== after && !(field === 'delimiter' && (before ?? ',') === (after ?? ','))) {
        out.push(dataDiagnostic('snapshot/field-differs', { table, file: m.file, field, expected: shown(before), actual: shown(after) }, where));
      }
    }
  }
  const known = new Set(input.expected.map((e) => e.table));
  const unknown = Object.entries(manifest.tables).filter(([table]) => !known.has(table));
  for (const [table, entry] of unknown) out.push(dataDiagnostic('snapshot/unknown-table', { table }, { file: `${shownAs}/snapshot.yaml`, table }));
  // The file of a table the project does not read is reported once, as that table.
  const named = new Set(unknown.map(([, entry]) => entry.file));
  out.push(...unclaimedFiles(input.unclaimed.filter((f) => !named.has(f)), shownAs));
  return out;
}

/** One warning per file of the snapshot directory that no table is read from. */
export const unclaimedFiles = (files: readonly string[], shownAs: string): Diagnostic[] =>
  files.map((file) => diagnostic('snapshot/unclaimed-file', { file }, { file: `${shownAs}/${file}`, range: START }));
