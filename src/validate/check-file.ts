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
}

/** Everything that can be checked about one file on its own: syntax, modeline, schema. */
export function checkFile(path: string, kind: Kind, bytes: Uint8Array): CheckedFile {
  const parsed = parseYamlFile(path, bytes);
  if (!parsed.file) return { ...(parsed.text !== undefined ? { text: parsed.text } : {}), diagnostics: parsed.diagnostics, valid: false };
  const schemaErrors = validateSchema(parsed.file, kind);
  return { file: parsed.file, text: parsed.text!, diagnostics: [...checkModeline(parsed.file, kind), ...schemaErrors], valid: schemaErrors.length === 0 };
}
