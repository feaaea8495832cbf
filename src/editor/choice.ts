import { markdownText } from '../text/markdown.js';
import type { Named } from './vocabulary.js';

type Schema = Record<string, unknown>;

const markdown = (n: Named) => [n.name ? `**${markdownText(n.name)}**` : '', n.description ? markdownText(n.description) : ''].filter(Boolean).join(' — ');

/**
 * One of the project's ids as an `enum`: the editor completes it, flags any other value as
 * you type, and shows each id's name and description in completion and on hover.
 */
export function choice(values: readonly Named[], description: string): Schema {
  const out: Schema = { description, enum: values.map((v) => v.value ?? v.id) };
  if (values.every((v) => typeof (v.value ?? v.id) === 'string')) out.type = 'string';
  // Markdown only: VS Code and the other LSP clients with hover render it; a plain copy would double the size.
  if (values.some((v) => v.name || v.description)) out.markdownEnumDescriptions = values.map(markdown);
  return out;
}

export const names = (ids: readonly string[]): Named[] => ids.map((id) => ({ id }));

/** A `$ref` to a shared definition, keeping the description of the place that uses it. */
export const ref = (name: string, description?: unknown): Schema => ({ $ref: `#/$defs/${name}`, ...(typeof description === 'string' ? { description } : {}) });
