import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { readManifestBytes, type LoadedManifest, type SnapshotDir } from '../source/snapshot.js';
import { rangeFor } from '../source/locate.js';
import { parseYamlFile } from '../source/yaml-file.js';
import { diagnostic } from '../diagnostics/create.js';
import type { SnapshotSpec } from '../spec/snapshot.js';
import { validateSchema } from './schema.js';

/** Reads and checks a snapshot's `snapshot.yaml` against its schema. */
export function checkManifest(snapshot: SnapshotDir): { manifest?: LoadedManifest; path: string; text?: string; diagnostics: Diagnostic[] } {
  const { path, bytes, diagnostics } = readManifestBytes(snapshot);
  if (!bytes) return { path, diagnostics };
  const parsed = parseYamlFile(path, bytes);
  const text = parsed.text !== undefined ? { text: parsed.text } : {};
  if (!parsed.file) return { path, ...text, diagnostics: parsed.diagnostics };
  const schemaErrors = validateSchema(parsed.file, 'snapshot');
  const asOf = (parsed.file.value as { as_of?: unknown }).as_of;
  // The schema's date-time format allows forms JavaScript cannot read (a leap second, a lower-case t).
  if (schemaErrors.length === 0 && typeof asOf === 'string' && Number.isNaN(Date.parse(asOf))) {
    schemaErrors.push(diagnostic('schema/format', { format: 'timestamp (2026-11-01T00:00:00Z)', found: asOf }, { file: path, range: rangeFor(parsed.file, ['as_of']), path: '/as_of' }));
  }
  if (schemaErrors.length > 0) return { path, ...text, diagnostics: schemaErrors };
  return { path, ...text, manifest: { file: parsed.file, spec: parsed.file.value as SnapshotSpec }, diagnostics: [] };
}
