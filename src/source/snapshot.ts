import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { START, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SnapshotSpec } from '../spec/snapshot.js';
import { leadsTo, realDirectory, refusal, refusalDiagnostic, type LinkRefusal } from './inside.js';
import { type YamlFile } from './yaml-file.js';
import { diagnostic } from '../diagnostics/create.js';

export const MANIFEST = 'snapshot.yaml';

/** A snapshot directory as read from disk: where it is, how to name it in messages, its manifest. */
export interface SnapshotDir {
  /** Directory on disk. */
  dir: string;
  /** The directory as shown in diagnostics (relative to the project when inside it). */
  shownAs: string;
}

const WITHIN = 'the snapshot directory';

/** The manifest's bytes, or a diagnostic when there is none or it is a link out of the snapshot. */
export function readManifestBytes(snapshot: SnapshotDir): { path: string; bytes?: Uint8Array; diagnostics: Diagnostic[] } {
  const path = `${snapshot.shownAs}/${MANIFEST}`;
  const leads = leadsTo(realDirectory(snapshot.dir), join(snapshot.dir, MANIFEST));
  const refused = refusal(leads, WITHIN);
  if (refused) return { path, diagnostics: [refusalDiagnostic(refused, path)] };
  if (!('real' in leads) || !existsSync(leads.real)) return { path, diagnostics: [diagnostic('snapshot/missing-manifest', { dir: snapshot.shownAs }, { file: path, range: START })] };
  return { path, bytes: readFileSync(leads.real), diagnostics: [] };
}

/**
 * Where a table's file really is, when it is inside the snapshot directory (links followed),
 * or why it is not read. A file that is not there at all is left for the loader to report.
 */
export function tablePath(snapshot: SnapshotDir, file: string): { path: string } | { refused: LinkRefusal } {
  const path = join(snapshot.dir, file);
  const leads = leadsTo(realDirectory(snapshot.dir), path);
  const refused = refusal(leads, WITHIN);
  if (refused) return { refused };
  return { path: 'real' in leads ? leads.real : path };
}

export interface LoadedManifest {
  file: YamlFile;
  spec: SnapshotSpec;
}
