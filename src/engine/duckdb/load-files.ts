import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { sha256 } from '../file-hash.js';
import type { ExpectedTable } from '../../seal/tables.js';
import type { Encoding } from '../../spec/encoding.js';
import type { SnapshotSpec } from '../../spec/snapshot.js';
import type { Database } from './database.js';
import { dataDiagnostic, errorReason } from './data-diagnostic.js';
import { ignoredEncoding, invalidTextDiagnostic } from './invalid-text.js';
import type { InvalidBytes, SnapshotFiles } from './snapshot-files.js';
import { ident, rawTable } from './sql.js';
import { Statement } from './statement.js';

const READERS = {
  // Every CSV value is read as text, so a value of the wrong type is reported, not guessed; the
  // dialect is fixed (not sniffed), so a ragged row is an error rather than a one-column table.
  csv: "read_csv($1, header = true, all_varchar = true, delim = $2, quote = '\"', escape = '\"', strict_mode = true)",
} as const;

/**
 * JSON is read as text too: DuckDB's JSON reader would guess types and rewrite strings (an
 * upper-case UUID comes back lower-case, an ISO timestamp in a text column is normalised).
 * Every key of the records becomes a text column holding the value exactly as written.
 */
async function loadJson(db: Database, table: string, path: string): Promise<void> {
  const objects = ident(`json$${table}`);
  await db.run(`CREATE TEMP TABLE ${objects} AS SELECT json FROM read_json_objects($1, format = 'auto')`, [path]);
  try {
    const keys = (await db.all<{ k: string }>(`SELECT DISTINCT unnest(json_keys(json)) AS k FROM ${objects} ORDER BY k`)).map((r) => r.k);
    const stmt = new Statement();
    const columns = keys.map((k) => `json_extract_string(json, ${stmt.bind(`$.${JSON.stringify(k)}`)}) AS ${ident(k)}`);
    await db.run(`CREATE TABLE ${rawTable(table)} AS SELECT ${columns.join(', ') || '1 AS "$empty"'} FROM ${objects}`, stmt.params);
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${objects}`);
  }
}

/**
 * Where a table's file is on disk, or the diagnostic saying why it is not read: a link out
 * of the snapshot or round in a loop, no file, or not a file DuckDB reads as exactly itself.
 */
export function tableFile(snapshot: SnapshotFiles, table: string, file: string): { path: string } | { problem: Diagnostic } {
  const at = { file: `${snapshot.shownAs}/${file}`, table };
  const found = snapshot.locate(file);
  if ('refused' in found) return { problem: dataDiagnostic(found.refused.code, found.refused.params as never, at) };
  const path = found.path;
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return { problem: dataDiagnostic('snapshot/missing-file', { table, file }, at) };
  // DuckDB expands * ? [ ] { } in paths: the file read must be the file whose checksum was taken.
  if (!stat.isFile() || /[*?[\]{}]/.test(path)) {
    const reason = stat.isFile() ? `its path ${path} contains a wildcard character (* ? [ ] { }); move the snapshot to a folder without one` : `${file} is not a regular file`;
    return { problem: dataDiagnostic('snapshot/unreadable-table', { table, reason }, at) };
  }
  return { path };
}

/** How a table's file is read: what the manifest says of it, and the text encoding kpiops.yaml sets for it. */
export type TableFormat = Pick<SnapshotSpec['tables'][string], 'format' | 'delimiter'> & { encoding?: Encoding };

/** A table file read: its row count, or where its bytes stop being text of its encoding (nothing was read). */
export type ReadOutcome = { rows: number } | { invalid: InvalidBytes };

async function readAs(db: Database, table: string, path: string, entry: TableFormat): Promise<number> {
  // A Parquet file is typed already: it is read in place, never copied (a copy of 10 million
  // events took seconds and gigabytes); its row count comes from its own metadata.
  if (entry.format === 'parquet') await db.viewOfParquet(`raw$${table}`, path);
  else if (entry.format === 'json') await loadJson(db, table, path);
  else await db.run(`CREATE TABLE ${rawTable(table)} AS SELECT * FROM ${READERS.csv}`, [path, entry.delimiter ?? ',']);
  const [{ n }] = (await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${rawTable(table)}`)) as [{ n: number }];
  return n;
}

/**
 * Reads one table file as it is into `raw$<table>` and returns its row count. This is the
 * one way kpiops reads a table file: loading checks a manifest's `rows` against this count,
 * and `kpiops snapshot seal` writes it, so the two can never count differently.
 *
 * Text in another encoding than UTF-8 is converted by Node into a UTF-8 copy in a temporary
 * folder, which DuckDB reads and which is then removed (DuckDB's own CSV reader knows only
 * Latin-1 and UTF-16 without extensions, tells neither line nor byte of a fault, reads a
 * big-endian UTF-16 file as no rows, and its JSON reader knows only UTF-8). A UTF-8 file
 * DuckDB refuses is looked through for its first invalid bytes, which are then reported.
 */
export async function readTable(db: Database, files: Pick<SnapshotFiles, 'utf8Copy' | 'firstInvalid'>, table: string, path: string, entry: TableFormat): Promise<ReadOutcome> {
  const encoding = entry.format === 'parquet' ? 'utf-8' : entry.encoding ?? 'utf-8';
  if (encoding === 'utf-8') {
    try {
      return { rows: await readAs(db, table, path, entry) };
    } catch (error) {
      const invalid = entry.format === 'parquet' ? undefined : await files.firstInvalid(path, 'utf-8');
      if (invalid) return { invalid };
      throw error;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'kpiops-text-'));
  try {
    const copy = join(dir, 'table.txt');
    const invalid = await files.utf8Copy(path, encoding, copy);
    return invalid ? { invalid } : { rows: await readAs(db, table, copy, entry) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Loads each table file of the manifest as it is into `raw$<table>`, after checking that
 * the file exists and matches the manifest's checksum, and then its row count. Returns
 * the tables that loaded and passed.
 */
export async function loadFiles(db: Database, snapshot: SnapshotFiles, manifest: SnapshotSpec, expected: ReadonlyMap<string, ExpectedTable>, report: (d: Diagnostic) => void): Promise<Set<string>> {
  const loaded = new Set<string>();
  for (const [table, entry] of Object.entries(manifest.tables)) {
    const at = { file: `${snapshot.shownAs}/${entry.file}`, table };
    const found = tableFile(snapshot, table, entry.file);
    if ('problem' in found) {
      report(found.problem);
      continue;
    }
    const path = found.path;
    let actual: string;
    try {
      actual = await sha256(path);
    } catch (error) {
      report(dataDiagnostic('snapshot/unreadable-table', { table, reason: (error as Error).message }, at));
      continue;
    }
    if (actual !== entry.sha256) {
      report(dataDiagnostic('snapshot/checksum', { table, expected: entry.sha256, actual }, at));
      continue;
    }
    const text = expected.get(table);
    const ignored = text && ignoredEncoding(table, entry.format, text.encoding, text.setting, at);
    if (ignored) report(ignored);
    let read: ReadOutcome;
    try {
      read = await readTable(db, snapshot, table, path, { ...entry, ...(text?.encoding ? { encoding: text.encoding } : {}) });
    } catch (error) {
      const reason = errorReason(error);
      report(dataDiagnostic('snapshot/unreadable-table', { table, reason }, at));
      continue;
    }
    if ('invalid' in read) {
      report(invalidTextDiagnostic(table, read.invalid, text?.encoding, text?.setting ?? `sources.${table}`, at));
      continue;
    }
    if (read.rows !== entry.rows) {
      report(dataDiagnostic('snapshot/row-count', { table, expected: entry.rows, actual: read.rows }, at));
      continue;
    }
    const duplicate = entry.format === 'csv' ? duplicateHeader(snapshot.headerLine(path, text?.encoding), entry.delimiter ?? ',') : undefined;
    if (duplicate) {
      report(dataDiagnostic('data/duplicate-column', { table, column: duplicate }, { ...at, column: duplicate }));
      continue;
    }
    loaded.add(table);
  }
  return loaded;
}

/**
 * A CSV header naming a column twice (ignoring case): DuckDB would rename the second one
 * (`country_1`) and kpiops would silently read the first.
 */
function duplicateHeader(header: string, delimiter: string): string | undefined {
  const seen = new Set<string>();
  for (const name of header.split(delimiter).map((n) => n.trim().replace(/^"(.*)"$/, '$1').toLowerCase())) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}
