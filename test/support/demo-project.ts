import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { discover } from '../../src/source/discover.js';
import { validateSources, type SourceInput, type ValidatedProject } from '../../src/validate/project.js';

/** The repository itself is the good fixture: the demo project every broken case starts from. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

const found = await discover(REPO);
const demo: SourceInput[] = found.files.map((f) => ({ ...f, bytes: readFileSync(`${REPO}/${f.path}`) }));

export const demoText = (path: string) => {
  const input = demo.find((f) => f.path === path);
  if (!input) throw new Error(`no ${path} in the demo project`);
  return new TextDecoder().decode(input.bytes as Uint8Array);
};

export interface Change {
  /** File to change (relative path); a path not in the demo adds a file. */
  file: string;
  /** Replace this exact text (which must occur) … */
  from?: string;
  /** … with this; or, without `from`, the file's whole new content. */
  to: string | Uint8Array;
  kind?: SourceInput['kind'];
}

/** Validates the demo project with some files changed, added, removed, or only those `keep` accepts. */
export function validateWith(changes: Change[], options: { remove?: string[]; keep?: (path: string) => boolean; templates?: string[] } = {}): ValidatedProject {
  const inputs = demo.filter((f) => !options.remove?.includes(f.path) && (options.keep?.(f.path) ?? true)).map((f) => ({ ...f }));
  for (const change of changes) {
    let input = inputs.find((f) => f.path === change.file);
    if (!input) {
      input = { path: change.file, kind: change.kind ?? 'kpi', bytes: new Uint8Array() };
      inputs.push(input);
    }
    if (change.to instanceof Uint8Array) {
      input.bytes = change.to;
      continue;
    }
    const text = new TextDecoder().decode(input.bytes as Uint8Array);
    if (change.from !== undefined && !text.includes(change.from)) throw new Error(`"${change.from}" is not in ${change.file}`);
    input.bytes = new TextEncoder().encode(change.from === undefined ? change.to : text.replace(change.from, change.to));
  }
  return validateSources(inputs, options.templates ?? found.templates);
}

/** `file:line:col code` of each diagnostic, 1-based as users read them. */
export const located = (result: ValidatedProject) =>
  result.diagnostics.map((d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`);
