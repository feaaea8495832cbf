import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { byLocation, START, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ProjectFiles } from '../model/project.js';
import { discover, PROJECT_FILE } from '../source/discover.js';
import { diagnosticAt, parseYamlFile, type YamlFile } from '../source/yaml-file.js';
import type { Kind } from '../spec/kinds.js';
import { checkModeline } from './modeline.js';
import { runRules } from './rule.js';
import { RULES } from './rules/index.js';
import { validateSchema } from './schema.js';

export interface ValidatedProject {
  files: ProjectFiles;
  diagnostics: Diagnostic[];
  /** The text of every file read, by path, for code frames. */
  texts: Map<string, string>;
}

async function readBytes(root: string, path: string): Promise<Uint8Array | Diagnostic> {
  try {
    return await readFile(join(root, path));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return diagnosticAt('file/unreadable', { reason }, path, START);
  }
}

function idOf(file: YamlFile): string | undefined {
  const id = (file.value as { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}

/** Adds a parsed file to the project: as a typed spec when it passed its schema, as an unchecked id otherwise. */
function collect(files: ProjectFiles, kind: Kind, file: YamlFile, valid: boolean) {
  const spec = file.value as never;
  if (!valid) {
    const id = idOf(file);
    if (id && (kind === 'kpi' || kind === 'channel')) files.unchecked[kind].add(id);
    return;
  }
  if (kind === 'project') files.project = { file, spec };
  if (kind === 'channel') files.channels.push({ file, spec });
  if (kind === 'kpi') files.kpis.push({ file, spec });
  if (kind === 'scorecard') files.scorecards.push({ file, spec });
}

/** One file of a project as read from disk (or built by a test): its bytes, or why it could not be read. */
export interface SourceInput {
  path: string;
  kind: Kind;
  bytes: Uint8Array | Diagnostic;
}

/**
 * Checks a whole project: YAML syntax, each file against its kind's schema, then the
 * semantic rules across files. Returns every diagnostic; never throws on user input.
 */
export function validateSources(inputs: readonly SourceInput[], templates: string[]): ValidatedProject {
  const files: ProjectFiles = { channels: [], kpis: [], scorecards: [], templates, unchecked: { kpi: new Set(), channel: new Set() } };
  const diagnostics: Diagnostic[] = [];
  const texts = new Map<string, string>();
  if (!inputs.some((i) => i.kind === 'project')) diagnostics.push(diagnosticAt('project/missing', { root: 'the project directory' }, PROJECT_FILE, START));
  for (const { path, kind, bytes } of inputs) {
    if (!(bytes instanceof Uint8Array)) {
      diagnostics.push(bytes);
      continue;
    }
    const parsed = parseYamlFile(path, bytes);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.text !== undefined) texts.set(path, parsed.text);
    if (!parsed.file) continue;
    const schemaErrors = validateSchema(parsed.file, kind);
    diagnostics.push(...checkModeline(parsed.file, kind), ...schemaErrors);
    collect(files, kind, parsed.file, schemaErrors.length === 0);
  }
  if (files.project) diagnostics.push(...runRules(RULES, files, files.project.spec));
  return { files, diagnostics: diagnostics.sort(byLocation), texts };
}

/** Reads the project under `root` and validates it. */
export async function validateProject(root: string): Promise<ValidatedProject> {
  const found = await discover(root);
  const contents = await Promise.all(found.files.map((f) => readBytes(root, f.path)));
  return validateSources(found.files.map((f, i) => ({ ...f, bytes: contents[i]! })), found.templates);
}
