import { readdirSync } from 'node:fs';
import { MANIFEST } from './snapshot.js';

/**
 * The names of what a snapshot directory holds that could be a table: everything but the
 * manifest, hidden files (`.DS_Store`; a table file's name never starts with a dot) and
 * folders. Links are listed as they are; whether one may be read is decided when it is.
 */
export function snapshotEntries(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.isDirectory() && !e.name.startsWith('.') && e.name !== MANIFEST)
    .map((e) => e.name)
    .sort();
}
