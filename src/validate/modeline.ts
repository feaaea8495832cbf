import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticAt, type YamlFile } from '../source/yaml-file.js';
import { KINDS, type Kind } from '../spec/kinds.js';

const MODELINE = /^#\s*yaml-language-server:\s*\$schema=(\S+)/;

/** The modeline a file of this kind at this path should start with, pointing at the project's `schemas/`. */
export function expectedModeline(path: string, kind: Kind): string {
  // Files live below the project root, so the way up is one `../` per folder.
  const depth = path.split('/').length - 1;
  const schema = `${'../'.repeat(depth)}schemas/${KINDS[kind].file}`;
  return `# yaml-language-server: $schema=${schema}`;
}

/** Files start with the schema modeline so editors validate and complete them. */
export function checkModeline(file: YamlFile, kind: Kind): Diagnostic[] {
  const firstLine = file.text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const expected = expectedModeline(file.path, kind);
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } };
  const match = MODELINE.exec(firstLine);
  if (!match) return [diagnosticAt('file/missing-modeline', { expected }, file.path, { start: range.start, end: range.start })];
  const found = match[1]!;
  const wanted = expected.slice(expected.indexOf('=') + 1);
  // Schemas may live elsewhere (a URL, node_modules/kpiops/schemas); what matters is the kind's schema.
  const name = KINDS[kind].file;
  if (found !== name && !found.endsWith(`/${name}`)) return [diagnosticAt('file/wrong-modeline', { found, expected: wanted }, file.path, range)];
  return [];
}
