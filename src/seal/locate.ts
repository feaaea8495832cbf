import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { TABLE_ENDINGS } from './endings.js';
import { dataDiagnostic } from '../diagnostics/create.js';

/** Where a table's file is looked for: the snapshot's entries, how the directory is shown, and the manifest's own `file`. */
export interface LocateInput {
  table: string;
  entries: readonly string[];
  shownAs: string;
  manifestFile?: string;
  /** When verifying, the manifest's file is the only one that counts. */
  strict: boolean;
}

/**
 * The file a table is read from: the one the manifest names when it is there; otherwise
 * the one file named `<table>` with a table ending (`.parquet` `.csv` `.tsv` `.json`
 * `.jsonl`). A table re-exported in another format (CSV → Parquet) is found by its name.
 * None or several is a diagnostic naming the table and what was looked for.
 */
export function locateTable(input: LocateInput): { file: string } | { problem: Diagnostic } {
  const { table, entries, shownAs, manifestFile } = input;
  if (manifestFile !== undefined && (input.strict || entries.includes(manifestFile))) return { file: manifestFile };
  const tried = TABLE_ENDINGS.map((e) => `${table}${e.ending}`);
  const found = tried.filter((name) => entries.includes(name));
  const at = `${shownAs}/${manifestFile ?? tried[0]!}`;
  if (found.length === 1) return { file: found[0]! };
  const problem = found.length === 0
    ? dataDiagnostic('snapshot/no-file', { table, dir: shownAs, tried: manifestFile ? [manifestFile, ...tried] : tried }, { file: at, table })
    : dataDiagnostic('snapshot/several-files', { table, dir: shownAs, files: found }, { file: at, table });
  return { problem };
}
