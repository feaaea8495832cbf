import { basename, extname } from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { parseYamlFile, type YamlFile } from '../source/yaml-file.js';
import type { Kind } from '../spec/kinds.js';
import { checkModeline } from './modeline.js';
import { validateSchema } from './schema.js';

export interface CheckedFile {
  file?: YamlFile;
  /** The decoded text, for code frames, whenever the bytes were text. */
  text?: string;
  diagnostics: Diagnostic[];
  /** Whether the file passed its schema, so rules may trust its shape. */
  valid: boolean;
  /**
   * The id the file declares, also when it failed to parse or failed its schema, so that
   * references to it are not reported as unknown too (the file's own error is the one to fix).
   */
  id?: string;
}

const ID = /^[a-z][a-z0-9_]*$/;

/**
 * The id a broken file most likely declares: its top-level `id` as far as the parser
 * could read it, else its file name (`channels/email.yaml` declares `email` by convention).
 */
function declaredId(path: string, text: string | undefined, file: YamlFile | undefined): string | undefined {
  const written = file ? (file.value as { id?: unknown }).id : text === undefined ? undefined : partialId(text);
  if (typeof written === 'string' && ID.test(written)) return written;
  const stem = basename(path, extname(path));
  return ID.test(stem) ? stem : undefined;
}

/** The top-level `id` of a document that has syntax errors, read leniently; undefined when it cannot be told. */
function partialId(text: string): unknown {
  try {
    const contents = parseDocument(text, { strict: false, uniqueKeys: false }).contents;
    const node = isMap(contents) ? contents.get('id', true) : undefined;
    return isScalar(node) ? node.value : undefined;
  } catch {
    return undefined;
  }
}

/** Everything that can be checked about one file on its own: syntax, modeline (to `schemas`, see `schemasFor`), schema. */
export function checkFile(path: string, kind: Kind, bytes: Uint8Array, schemas?: string): CheckedFile {
  const parsed = parseYamlFile(path, bytes);
  if (!parsed.file) {
    const id = declaredId(path, parsed.text, undefined);
    return { ...(parsed.text !== undefined ? { text: parsed.text } : {}), diagnostics: parsed.diagnostics, valid: false, ...(id ? { id } : {}) };
  }
  const schemaErrors = validateSchema(parsed.file, kind);
  const valid = schemaErrors.length === 0;
  const id = valid ? undefined : declaredId(path, parsed.text, parsed.file);
  return { file: parsed.file, text: parsed.text!, diagnostics: [...checkModeline(parsed.file, kind, schemas), ...schemaErrors], valid, ...(id ? { id } : {}) };
}
