import type { Diagnostic } from '../diagnostic.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatStylish, type StylishOptions } from './stylish.js';

export const FORMATS = ['stylish', 'json', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export function format(name: Format, diagnostics: readonly Diagnostic[], options: StylishOptions): string {
  if (name === 'json') return formatJson(diagnostics);
  if (name === 'github') return formatGithub(diagnostics);
  return formatStylish(diagnostics, options);
}
