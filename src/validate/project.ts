import { byLocation, START, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ProjectFiles } from './files.js';
import { expandPresets } from '../presets/expand.js';
import { discover, PROJECT_FILE } from '../source/discover.js';
import { readInside, realDirectory, refusalDiagnostic, type Leads } from '../source/inside.js';
import { diagnostic } from '../diagnostics/create.js';
import { schemasFor } from '../source/package.js';
import { availableTemplates } from '../source/templates.js';
import type { Kind } from '../spec/kinds.js';
import { checkFile, type CheckedFile } from './check-file.js';
import { runRules } from './rule.js';
import { RULES } from './rules/index.js';
import { renamesSince } from './unknown-kpi.js';

export interface ValidatedProject {
  files: ProjectFiles;
  diagnostics: Diagnostic[];
  /** The text of every file read, by path, for code frames. */
  texts: Map<string, string>;
}

// Synchronous on purpose: for a thousand small files it is several times faster than queuing reads.
function readBytes(root: string, path: string, folders: Map<string, Leads>): Uint8Array | Diagnostic {
  try {
    // Checked again where it is read: what was found may have become a link out of the project since.
    const read = readInside(root, path, folders);
    return 'refused' in read ? refusalDiagnostic(read.refused, path) : read.bytes;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return diagnostic('file/unreadable', { reason }, { file: path, range: START });
  }
}

/**
 * Adds a checked file to the project: as a typed spec when it passed its schema, as an
 * unchecked id otherwise (also when it did not even parse).
 */
function collect(files: ProjectFiles, kind: Kind, checked: CheckedFile) {
  const { file, valid, id } = checked;
  if (!file || !valid) {
    if (id && (kind === 'kpi' || kind === 'channel' || kind === 'scorecard' || kind === 'alert')) files.unchecked[kind].add(id);
    return;
  }
  const spec = file.value as never;
  if (kind === 'project') files.project = { file, spec };
  if (kind === 'channel') files.channels.push({ file, spec });
  if (kind === 'kpi') files.kpis.push({ file, spec });
  if (kind === 'scorecard') files.scorecards.push({ file, spec });
  if (kind === 'alert') files.alerts.push({ file, spec });
}

/** One file of a project as read from disk (or built by a test): its bytes, or why it could not be read. */
export interface SourceInput {
  path: string;
  kind: Kind;
  bytes: Uint8Array | Diagnostic;
}

const readable = (input: SourceInput): input is SourceInput & { bytes: Uint8Array } => input.bytes instanceof Uint8Array;

/** Puts the checked files together and runs the semantic rules across them. */
function assemble(inputs: readonly SourceInput[], checked: ReadonlyMap<string, CheckedFile>, templates: string[], renamed?: ReadonlyMap<string, { id: string; file: string }>): ValidatedProject {
  const files: ProjectFiles = { channels: [], kpis: [], scorecards: [], alerts: [], templates, unchecked: { kpi: new Set(), channel: new Set(), scorecard: new Set(), alert: new Set() }, ...(renamed ? { renamed } : {}) };
  const diagnostics: Diagnostic[] = [];
  const texts = new Map<string, string>();
  if (!inputs.some((i) => i.kind === 'project')) diagnostics.push(diagnostic('project/missing', { root: 'the project directory' }, { file: PROJECT_FILE, range: START }));
  for (const input of inputs) {
    if (!readable(input)) {
      diagnostics.push(input.bytes as Diagnostic);
      continue;
    }
    const result = checked.get(input.path)!;
    diagnostics.push(...result.diagnostics);
    if (result.text !== undefined) texts.set(input.path, result.text);
    collect(files, input.kind, result);
  }
  if (files.project) {
    // Rules and the loader read plain export mappings: presets are expanded here, once.
    const expanded = expandPresets(files.project.spec, files.project.file);
    files.project = { ...files.project, spec: expanded.spec };
    diagnostics.push(...expanded.diagnostics);
  }
  diagnostics.push(...runRules(RULES, files, files.project?.spec));
  return { files, diagnostics: diagnostics.sort(byLocation), texts };
}

/**
 * Checks a whole project: YAML syntax, each file against its kind's schema, then the
 * semantic rules across files. Returns every diagnostic; never throws on user input.
 * `templates` are the project's own template names; the built-in ones are added here.
 * `schemas` is where modelines should point (see `schemasFor`), relative to the project.
 */
export function validateSources(inputs: readonly SourceInput[], templates: string[], problems: readonly Diagnostic[] = [], renamed?: ReadonlyMap<string, { id: string; file: string }>, schemas?: string): ValidatedProject {
  const checked = new Map(inputs.filter(readable).map((i) => [i.path, checkFile(i.path, i.kind, i.bytes, schemas)]));
  const result = assemble(inputs, checked, availableTemplates(templates), renamed);
  if (problems.length > 0) result.diagnostics = [...problems, ...result.diagnostics].sort(byLocation);
  return result;
}

const UNKNOWN_KPI = new Set(['scorecard/unknown-kpi', 'kpi/unknown-kpi']);

/**
 * Reads the project under `root` and validates it. When a KPI id is not defined, the
 * project is checked again against the last commit (git `HEAD`), to tell a renamed KPI
 * from a misspelt one; git is read only then.
 */
export async function validateProject(root: string): Promise<ValidatedProject> {
  const found = await discover(root);
  const real = realDirectory(root);
  const folders = new Map<string, Leads>();
  const inputs = found.files.map(({ problem, ...f }) => ({ ...f, bytes: problem ?? readBytes(real, f.path, folders) }));
  const schemas = schemasFor(root);
  const result = validateSources(inputs, found.templates, found.problems, undefined, schemas);
  if (!result.diagnostics.some((d) => UNKNOWN_KPI.has(d.code))) return result;
  const [{ filesAtRevision }, { projectDefinitionHashes }] = await Promise.all([import('../source/git.js'), import('../model/normalize.js')]);
  // The definitions at the last commit (none outside a git repository or before the first commit).
  const head = filesAtRevision(root, 'HEAD');
  const committed = head ? projectDefinitionHashes(validateSources(head.inputs, head.templates, [], undefined, head.schemas).files) : new Map<string, string>();
  const renamed = renamesSince(committed, projectDefinitionHashes(result.files), result.files);
  return renamed.size > 0 ? validateSources(inputs, found.templates, found.problems, renamed, schemas) : result;
}
