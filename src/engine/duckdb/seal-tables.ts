import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { detectDelimiter } from '../../seal/delimiter.js';
import { locateTable } from '../../seal/locate.js';
import type { ExpectedTable } from '../../seal/tables.js';
import { endingOf } from '../../seal/endings.js';
import { sha256 } from '../file-hash.js';
import type { Encoding } from '../../spec/encoding.js';
import type { SnapshotSpec } from '../../spec/snapshot.js';
import { Database } from './database.js';
import { dataDiagnostic, errorReason } from './data-diagnostic.js';
import { ignoredEncoding, invalidTextDiagnostic } from './invalid-text.js';
import { tableFile, type TableFormat } from './load-files.js';
import { measureTable, type Measure } from './measure-table.js';
import type { SnapshotFiles } from './snapshot-files.js';

type ManifestTable = SnapshotSpec['tables'][string];

/** A table's file as found and measured now. */
export interface SealedTable extends Measure {
  file: string;
  format: ManifestTable['format'];
  delimiter?: string;
  sha256: string;
}

export interface SealInput {
  snapshot: SnapshotFiles;
  tables: readonly ExpectedTable[];
  /** The manifest there is, for each table's `file`, `format` and `delimiter`. */
  manifest?: SnapshotSpec;
  /** Verifying: only the manifest's files count, none is looked for. */
  strict: boolean;
  onStep?: (step: string) => void;
}

export interface SealOutcome {
  /** Each expected table whose file was found and read. */
  tables: Map<string, SealedTable>;
  /** Files of the directory that no table is read from. */
  unclaimed: string[];
  /** Sources nothing reads with no file for any of their tables: left out of the manifest. */
  absent: string[];
  diagnostics: Diagnostic[];
}

/** How a file is read: the ending's format, else the manifest's; the manifest's delimiter, else the ending's, else the header's. */
function formatOf(snapshot: SnapshotFiles, table: string, file: string, path: string, known?: ManifestTable, encoding?: Encoding): TableFormat | { problem: Diagnostic } {
  const ending = endingOf(file);
  const format = ending?.format ?? known?.format;
  const at = { file: `${snapshot.shownAs}/${file}`, table };
  if (!format) return { problem: dataDiagnostic('snapshot/unreadable-table', { table, reason: `${file} does not end in .parquet, .csv, .tsv, .json or .jsonl; set its \`format\` in snapshot.yaml` }, at) };
  if (format !== 'csv') return { format };
  const kept = known?.file === file && known.format === 'csv' ? known.delimiter : undefined;
  if (kept !== undefined) return { format, delimiter: kept };
  if (ending && 'delimiter' in ending) return { format, delimiter: ending.delimiter };
  const detected = detectDelimiter(snapshot.headerLine(path, encoding));
  if ('found' in detected) return { problem: dataDiagnostic('snapshot/ambiguous-delimiter', { table, file, found: detected.found }, at) };
  return detected.delimiter === ',' ? { format } : { format, delimiter: detected.delimiter };
}

/**
 * Finds each table's file in the snapshot directory and measures it as loading would read
 * it: format, delimiter, SHA-256 of the bytes, row count and latest time value. Files no
 * table claims are listed. Nothing is written.
 */
export async function sealTables(input: SealInput): Promise<SealOutcome> {
  const { snapshot } = input;
  const entries = snapshot.entries();
  const claimed = new Set<string>();
  const tables = new Map<string, SealedTable>();
  const diagnostics: Diagnostic[] = [];
  const absent: string[] = [];
  // No-file problems of tables nothing reads, by source: a source left out is left out whole.
  const unfound = new Map<string, Diagnostic[]>();
  const db = await Database.open({ threads: 2 });
  try {
    for (const expected of input.tables) {
      const { table } = expected;
      const known = input.manifest?.tables[table];
      const located = locateTable({ table, entries, shownAs: snapshot.shownAs, ...(known ? { manifestFile: known.file } : {}), strict: input.strict });
      if ('problem' in located) {
        // A table nothing reads may be left out; several candidates, or a file the manifest names that is gone, are still a problem.
        if (expected.optional && located.problem.code === 'snapshot/no-file') {
          unfound.set(expected.source, [...(unfound.get(expected.source) ?? []), located.problem]);
          continue;
        }
        diagnostics.push(located.problem);
        continue;
      }
      const { file } = located;
      claimed.add(file);
      const found = tableFile(snapshot, table, file);
      if ('problem' in found) {
        diagnostics.push(found.problem);
        continue;
      }
      const format = formatOf(snapshot, table, file, found.path, known, expected.encoding);
      if ('problem' in format) {
        diagnostics.push(format.problem);
        continue;
      }
      input.onStep?.(`reading ${file}`);
      const at = { file: `${snapshot.shownAs}/${file}`, table };
      const ignored = ignoredEncoding(table, format.format, expected.encoding, expected.setting, at);
      if (ignored) diagnostics.push(ignored);
      try {
        const digest = await sha256(found.path);
        const measure = await measureTable(db, snapshot, table, found.path, { ...format, ...(expected.encoding ? { encoding: expected.encoding } : {}) }, expected.time);
        if ('invalid' in measure) {
          diagnostics.push(invalidTextDiagnostic(table, measure.invalid, expected.encoding, expected.setting, at));
          continue;
        }
        if (measure.missing !== undefined) {
          diagnostics.push(dataDiagnostic('data/missing-column', { table, column: measure.missing }, { file: `${snapshot.shownAs}/${file}`, table, column: measure.missing }));
          continue;
        }
        tables.set(table, { file, ...format, sha256: digest, ...measure });
      } catch (error) {
        diagnostics.push(dataDiagnostic('snapshot/unreadable-table', { table, reason: errorReason(error) }, { file: `${snapshot.shownAs}/${file}`, table }));
      }
    }
  } finally {
    db.close();
  }
  for (const [source, problems] of unfound) {
    // Some exports of a source without the others are a partial delivery, not a source left out.
    const whole = problems.length === input.tables.filter((t) => t.source === source).length;
    if (whole) absent.push(source);
    else diagnostics.push(...problems);
  }
  return { tables, absent, unclaimed: entries.filter((e) => !claimed.has(e)), diagnostics };
}
