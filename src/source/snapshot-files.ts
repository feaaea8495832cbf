import { readdirSync } from 'node:fs';
import { MANIFEST } from './snapshot.js';

/** How a table file's name ends, and the format (and CSV delimiter) that ending means. */
export const TABLE_ENDINGS = [
  { ending: '.parquet', format: 'parquet' },
  { ending: '.csv', format: 'csv' },
  { ending: '.tsv', format: 'csv', delimiter: '\t' },
  { ending: '.json', format: 'json' },
  { ending: '.jsonl', format: 'json' },
] as const;

export type TableEnding = (typeof TABLE_ENDINGS)[number];

/** The format a file's name says, if it ends in one kpiops knows. */
export const endingOf = (file: string): TableEnding | undefined => TABLE_ENDINGS.find((e) => file.endsWith(e.ending));

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
