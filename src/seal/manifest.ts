import { Document, YAMLMap } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { dataDiagnostic } from '../diagnostics/create.js';
import { VERSION } from '../spec/kinds.js';
import type { SnapshotSpec } from '../spec/snapshot.js';
import { isAfter, shownTime } from './as-of.js';
import { coverageEnd, coverageStart } from './coverage.js';
import type { ExpectedTable } from './tables.js';

type ManifestTable = SnapshotSpec['tables'][string];

/** A table's file as measured now (what `sealTables` found). */
export interface Measured {
  file: string;
  format: ManifestTable['format'];
  delimiter?: string;
  rows: number;
  sha256: string;
  latest?: { at: string; monthly: boolean };
  earliest?: string;
}

export interface ManifestChoices {
  id: string;
  asOf: string;
  /** Keep each table's `coverage_start` and `coverage_end` from the manifest there is instead of reading them from the data. */
  keepCoverage: boolean;
}

/** A table's manifest entry, keys always in the same order so the same files give the same bytes. */
export function tableEntry(m: Measured, existing: ManifestTable | undefined, keepCoverage: boolean): ManifestTable {
  const coverage = keepCoverage && existing?.coverage_end ? existing.coverage_end : m.latest ? coverageEnd(m.latest) : undefined;
  const start = keepCoverage && existing?.coverage_start ? existing.coverage_start : m.earliest ? coverageStart(m.earliest) : undefined;
  return {
    file: m.file,
    format: m.format,
    ...(m.delimiter !== undefined ? { delimiter: m.delimiter } : {}),
    rows: m.rows,
    sha256: m.sha256,
    ...(start ? { coverage_start: start } : {}),
    ...(coverage ? { coverage_end: coverage } : {}),
  };
}

/** The manifest of the measured tables, in the project's order, keeping the `generator` block of the one there is. */
export function sealedManifest(expected: readonly ExpectedTable[], measured: ReadonlyMap<string, Measured>, existing: SnapshotSpec | undefined, choices: ManifestChoices): SnapshotSpec {
  const tables: SnapshotSpec['tables'] = {};
  for (const { table } of expected) {
    const m = measured.get(table);
    if (m) tables[table] = tableEntry(m, existing?.tables[table], choices.keepCoverage);
  }
  return {
    version: VERSION,
    id: choices.id,
    as_of: choices.asOf,
    ...(existing?.generator ? { generator: { name: existing.generator.name, ...(existing.generator.seed !== undefined ? { seed: existing.generator.seed } : {}), ...(existing.generator.format !== undefined ? { format: existing.generator.format } : {}) } } : {}),
    tables,
  };
}

/** The manifest's text: the schema modeline, then one line per table so a change shows as one line in a diff. */
export function manifestText(manifest: SnapshotSpec, modeline: string | undefined): string {
  const doc = new Document(manifest);
  const tables = doc.get('tables', true) as YAMLMap;
  for (const pair of tables.items) (pair.value as YAMLMap).flow = true;
  return `${modeline ? `${modeline}\n` : ''}${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
}

/** Tables whose latest time value is after the as_of: loading would refuse their rows, so the manifest is not written. */
export function afterAsOf(expected: readonly ExpectedTable[], measured: ReadonlyMap<string, Measured>, asOf: string, shownAs: string): Diagnostic[] {
  return expected.flatMap(({ table, time }) => {
    const m = measured.get(table);
    if (!m?.latest || !time || !isAfter(m.latest.at, asOf)) return [];
    const column = time.mapping?.from ?? time.column;
    return [dataDiagnostic('snapshot/as-of-too-early', { table, file: m.file, column, latest: shownTime(m.latest.at), asOf }, { file: `${shownAs}/${m.file}`, table })];
  });
}
