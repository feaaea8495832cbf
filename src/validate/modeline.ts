import { posix } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { type YamlFile } from '../source/yaml-file.js';
import { diagnostic } from '../diagnostics/create.js';
import { KINDS, type Kind } from '../spec/kinds.js';

const MODELINE = /^#\s*yaml-language-server:\s*\$schema=(\S+)/;

/**
 * The modeline a file of this kind at this path should start with: the kind's schema in
 * `schemas` (the schemas folder, relative to the project root, as `schemasFor` finds it),
 * written relative to the file, as the editor resolves it.
 */
export function expectedModeline(path: string, kind: Kind, schemas = 'schemas'): string {
  // Up from the file's folder to the project root (one `../` per folder), then down (or up) to the schemas.
  const up = '../'.repeat(path.split('/').length - 1);
  const schema = posix.normalize(`${up}${schemas}/${KINDS[kind].file}`);
  return `# yaml-language-server: $schema=${schema}`;
}

/** Files start with the schema modeline so editors validate and complete them. */
export function checkModeline(file: YamlFile, kind: Kind, schemas?: string): Diagnostic[] {
  const text = file.text.startsWith('\uFEFF') ? file.text.slice(1) : file.text;
  const end = text.indexOf('\n');
  const firstLine = end < 0 ? text : text.slice(0, end > 0 && text[end - 1] === '\r' ? end - 1 : end);
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } };
  const match = MODELINE.exec(firstLine);
  // The expected line is worked out only for a file that needs it: most have theirs right.
  if (!match) return [diagnostic('file/missing-modeline', { expected: expectedModeline(file.path, kind, schemas) }, { file: file.path, range: { start: range.start, end: range.start } })];
  const found = match[1]!;
  // Schemas may live elsewhere (a URL, node_modules/kpiops/schemas); what matters is the kind's schema.
  const name = KINDS[kind].file;
  if (found !== name && !found.endsWith(`/${name}`)) {
    const expected = expectedModeline(file.path, kind, schemas);
    return [diagnostic('file/wrong-modeline', { found, expected: expected.slice(expected.indexOf('=') + 1) }, { file: file.path, range: range })];
  }
  return [];
}
