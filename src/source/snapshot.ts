import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { START, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SnapshotSpec } from '../spec/snapshot.js';
import { diagnosticAt, type YamlFile } from './yaml-file.js';

export const MANIFEST = 'snapshot.yaml';

/** A snapshot directory as read from disk: where it is, how to name it in messages, its manifest. */
export interface SnapshotDir {
  /** Directory on disk. */
  dir: string;
  /** The directory as shown in diagnostics (relative to the project when inside it). */
  shownAs: string;
}

/** The manifest's bytes, or a diagnostic when there is none. */
export function readManifestBytes(snapshot: SnapshotDir): { path: string; bytes?: Uint8Array; diagnostics: Diagnostic[] } {
  const path = `${snapshot.shownAs}/${MANIFEST}`;
  const file = join(snapshot.dir, MANIFEST);
  if (!existsSync(file)) return { path, diagnostics: [diagnosticAt('snapshot/missing-manifest', { dir: snapshot.shownAs }, path, START)] };
  return { path, bytes: readFileSync(file), diagnostics: [] };
}

/** SHA-256 of a file, streamed so large tables are never held in memory. */
export function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export interface LoadedManifest {
  file: YamlFile;
  spec: SnapshotSpec;
}
