import { lstatSync } from 'node:fs';
import { basename, join } from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { unreadSources } from '../model/source-readers.js';
import { snapshotReader } from '../source/snapshot-reader.js';
import { defaultId } from '../seal/as-of.js';
import { manifestDifferences, unclaimedFiles } from '../seal/compare.js';
import { afterAsOf, sealedManifest } from '../seal/manifest.js';
import { expectedTables } from '../seal/tables.js';
import { realDirectory } from '../source/inside.js';
import { MANIFEST, type SnapshotDir } from '../source/snapshot.js';
import type { SnapshotSpec } from '../spec/snapshot.js';
import { checkManifest } from '../validate/manifest.js';
import { validateProject } from '../validate/project.js';
import { snapshotDir } from './snapshot.js';

export interface SealInput {
  project: string;
  /** The snapshot folder, as given. */
  dir: string;
  /** `--check`: compare the manifest with the files; write nothing. */
  check: boolean;
  keepCoverage: boolean;
  /** `--as-of`, already read; else the manifest's, else `now`. */
  asOf?: string;
  id?: string;
  now: () => string;
  onStep: (step: string) => void;
}

/** What sealing found; the caller prints it and, for `sealed`, writes `manifest`. */
export type Sealing = { texts: ReadonlyMap<string, string> } & (
  /** The project or the manifest there has errors: nothing was measured. */
  | { kind: 'stopped'; diagnostics: Diagnostic[] }
  /** `--check`: every way the manifest differs from the files (none: it matches). */
  | { kind: 'checked'; manifestPath: string; shownAs: string; differences: Diagnostic[]; tables: number }
  /** The files cannot be sealed: errors, or no table at all. */
  | { kind: 'refused'; manifestPath: string; diagnostics: Diagnostic[] }
  | { kind: 'sealed'; manifestPath: string; snapshot: SnapshotDir; manifest: SnapshotSpec; existing?: { spec: SnapshotSpec; text?: string }; id: string; asOf: string; absent: string[]; unclaimed: Diagnostic[] }
);

/** The manifest there is (none when sealing a folder without one), or the findings that stop the command. */
function readExisting(snapshot: SnapshotDir, check: boolean, texts: Map<string, string>): { spec?: SnapshotSpec; text?: string } | { problems: Diagnostic[] } {
  const present = lstatSync(join(snapshot.dir, MANIFEST), { throwIfNoEntry: false }) !== undefined;
  if (!present && !check) return {};
  const read = checkManifest(snapshot);
  if (read.text !== undefined) texts.set(read.path, read.text);
  if (!read.manifest) return { problems: read.diagnostics };
  return { spec: read.manifest.spec, ...(read.text !== undefined ? { text: read.text } : {}) };
}

/**
 * `kpiops snapshot seal`: the table files measured against what the project reads, and either
 * compared with the manifest (`check`) or made into the manifest to write.
 */
export async function sealSnapshot(input: SealInput): Promise<Sealing> {
  const validated = await validateProject(input.project);
  const texts = validated.texts;
  if (hasErrors(validated.diagnostics)) return { kind: 'stopped', diagnostics: validated.diagnostics, texts };
  const snapshot = snapshotDir(input.project, input.dir);
  const read = readExisting(snapshot, input.check, validated.texts);
  if ('problems' in read) return { kind: 'stopped', diagnostics: read.problems, texts };
  const { spec: existing } = read;

  const project = validated.files.project!.spec;
  // A source's files may be left out while no KPI, brief or privacy rule reads it.
  const expected = expectedTables(project, unreadSources(project, validated.files.kpis.map((k) => k.spec), validated.files.scorecards.map((c) => c.spec)));
  const { sealTables } = await import('../engine/duckdb/seal-tables.js');
  const outcome = await sealTables({ snapshot: snapshotReader(snapshot), tables: expected, ...(existing ? { manifest: existing } : {}), strict: input.check, onStep: input.onStep });
  const asOf = input.asOf ?? existing?.as_of ?? input.now();
  const findings = [...outcome.diagnostics, ...afterAsOf(expected, outcome.tables, asOf, snapshot.shownAs)];
  const manifestPath = `${snapshot.shownAs}/${MANIFEST}`;

  if (input.check) {
    const differences = [...findings, ...manifestDifferences({ manifest: existing!, expected, measured: outcome.tables, unclaimed: outcome.unclaimed, keepCoverage: input.keepCoverage, shownAs: snapshot.shownAs })];
    return { kind: 'checked', manifestPath, shownAs: snapshot.shownAs, differences, tables: outcome.tables.size, texts };
  }
  const unclaimed = unclaimedFiles(outcome.unclaimed, snapshot.shownAs);
  if (hasErrors(findings) || outcome.tables.size === 0) return { kind: 'refused', manifestPath, diagnostics: [...findings, ...unclaimed], texts };
  const id = input.id ?? existing?.id ?? defaultId(basename(realDirectory(snapshot.dir)), asOf);
  const manifest = sealedManifest(expected, outcome.tables, existing, { id, asOf, keepCoverage: input.keepCoverage });
  return {
    kind: 'sealed', manifestPath, snapshot, manifest, ...(existing ? { existing: { spec: existing, ...(read.text !== undefined ? { text: read.text } : {}) } } : {}),
    id, asOf, absent: outcome.absent, unclaimed, texts,
  };
}
