import type { ErrorObject } from 'ajv/dist/2020.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { fromPointer, rangeFor, toPointer, type ValuePath } from '../source/locate.js';
import { type YamlFile } from '../source/yaml-file.js';
import { diagnostic } from '../diagnostics/create.js';
import { VERSION, type Kind } from '../spec/kinds.js';
import { OTHER_NAMES } from '../spec/encoding-names.js';
import { suggest } from '../text/suggest.js';
import { publishedSchema, schemaValidators } from './validators.js';

/** Hints for the patterns the schemas use, so a mismatch reads as advice, not a regex. */
const PATTERN_HINTS: Record<string, string> = {
  '^[a-z][a-z0-9_]*$': 'use lower-case letters, digits and underscores, starting with a letter',
  '^@[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:/[A-Za-z0-9._-]+)?$': 'use a GitHub user (@jdoe) or team (@org/team)',
  '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?$': 'use an ISO-8601 duration such as P30D, P1M or P1Y',
  '^\\d{4}-(0[1-9]|1[0-2]|W(0[1-9]|[1-4]\\d|5[0-3])|Q[1-4])$': 'use a period such as 2026-10, 2026-W43 or 2026-Q3',
  '^[A-Za-z0-9][A-Za-z0-9._-]*$': 'use a plain file name, without folders',
  '^[0-9a-f]{64}$': 'use 64 lower-case hexadecimal digits',
  '^\\S+ \\S+ \\S+ \\S+ \\S+$': 'use five cron fields: minute hour day month weekday',
};

const TYPE_NAMES: Record<string, string> = {
  string: 'text', number: 'a number', integer: 'a whole number', boolean: 'true or false',
  object: 'a mapping (key: value)', array: 'a list', null: 'nothing',
};
const typeName = (t: string) => TYPE_NAMES[t] ?? t;
const found = (v: unknown) =>
  v === null ? 'nothing' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping'
    : typeof v === 'string' ? `text "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"` : `${typeof v} ${String(v)}`;

/** Follows a JSON pointer (an ajv `schemaPath`) into a schema. */
function schemaAt(root: unknown, pointer: string): Record<string, unknown> | undefined {
  let node = root;
  for (const segment of fromPointer(pointer.replace(/^#/, ''))) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[decodeURIComponent(String(segment))];
  }
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : undefined;
}

/** The schema object an error's keyword sits in (its parent schema), found without ajv's verbose mode. */
const parentSchema = (root: unknown, error: ErrorObject) => schemaAt(root, error.schemaPath.replace(/\/[^/]*$/, ''));

/** The value at an instance path. */
function valueAt(value: unknown, path: ValuePath): unknown {
  let node = value;
  for (const segment of path) node = (node as Record<string, unknown> | undefined)?.[segment as string];
  return node;
}

const where = (kind: Kind, path: ValuePath) =>
  path.length === 0 ? `the ${kind} file` : path.map((s, i) => (typeof s === 'number' || /^\d+$/.test(String(s)) ? `[${s}]` : `${i ? '.' : ''}${s}`)).join('');

function toDiagnostic(file: YamlFile, kind: Kind, root: unknown, error: ErrorObject): Diagnostic | undefined {
  const path = fromPointer(error.instancePath);
  const data = valueAt(file.value, path);
  const p = error.params as Record<string, unknown>;
  const at = (target: 'key' | 'value' = 'value', extra: ValuePath = []) => rangeFor(file, [...path, ...extra], target);
  const pointer = error.instancePath;
  switch (error.keyword) {
    case 'required': {
      const range = path.length > 0 && typeof path[path.length - 1] === 'string' && !/^\d+$/.test(String(path.at(-1))) ? at('key') : at();
      const head = { start: range.start, end: range.start };
      return diagnostic('schema/required', { key: String(p.missingProperty), where: where(kind, path) }, { file: file.path, range: path.length ? range : head, path: pointer });
    }
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      const keyPatterns = Object.keys((parentSchema(root, error) as { patternProperties?: object } | undefined)?.patternProperties ?? {});
      if (keyPatterns.length === 1) {
        const hint = PATTERN_HINTS[keyPatterns[0]!] ?? `keys must match ${keyPatterns[0]}`;
        return diagnostic('schema/pattern', { found: name, hint }, { file: file.path, range: at('key', [name]), path: toPointer([...path, name]) });
      }
      const known = Object.keys((parentSchema(root, error) as { properties?: object } | undefined)?.properties ?? {});
      return diagnostic('schema/unknown-key', { name, where: where(kind, path), suggestion: suggest(name, known) }, { file: file.path, range: at('key', [name]), path: toPointer([...path, name]) });
    }
    case 'propertyNames': {
      const name = String(p.propertyName);
      return diagnostic('schema/pattern', { found: name, hint: PATTERN_HINTS['^[a-z][a-z0-9_]*$']! }, { file: file.path, range: at('key', [name]), path: toPointer([...path, name]) });
    }
    case 'type': {
      const types = String(p.type).split(',');
      return diagnostic('schema/type', { expected: types.map(typeName).join(' or '), found: found(data) }, { file: file.path, range: at(), path: pointer });
    }
    case 'enum':
    case 'const': {
      // A list or mapping where a word belongs is a type error, reported by the `type` keyword.
      if (typeof data === 'object' && data !== null) return undefined;
      const allowed = (error.keyword === 'enum' ? (p.allowedValues as unknown[]) : [p.allowedValue]).map(String);
      if (path.length === 1 && path[0] === 'version') return diagnostic('schema/version', { found: String(data) }, { file: file.path, range: at(), path: pointer });
      // A well-known other name of an allowed word (`cp1252` for `windows-1252`) is suggested as a typo would be.
      const known = OTHER_NAMES[String(data).toLowerCase()];
      const suggestion = known !== undefined && allowed.includes(known) ? known : suggest(String(data), allowed);
      return diagnostic('schema/enum', { allowed, found: String(data), suggestion }, { file: file.path, range: at(), path: pointer });
    }
    case 'format':
      return diagnostic('schema/format', { format: String(p.format) === 'date-time' ? 'timestamp (2026-11-01T00:00:00Z)' : String(p.format), found: String(data) }, { file: file.path, range: at(), path: pointer });
    case 'pattern':
      return diagnostic('schema/pattern', { found: String(data), hint: PATTERN_HINTS[String(p.pattern)] ?? `it must match ${String(p.pattern)}` }, { file: file.path, range: at(), path: pointer });
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return diagnostic('schema/range', { found: String(data), bound: `${String(p.comparison)} ${String(p.limit)}`.replace('>=', '≥').replace('<=', '≤') }, { file: file.path, range: at(), path: pointer });
    case 'minItems': case 'maxItems': case 'minProperties': case 'maxProperties': case 'minLength': case 'maxLength': {
      const unit = error.keyword.endsWith('Items') ? 'item' : error.keyword.endsWith('Properties') ? 'key' : 'character';
      const bound = error.keyword.startsWith('min') ? `at least ${String(p.limit)}` : `at most ${String(p.limit)}`;
      return diagnostic('schema/size', { bound: `Expected ${bound} ${unit}${p.limit === 1 ? '' : 's'} here` }, { file: file.path, range: at(), path: pointer });
    }
    case 'uniqueItems':
      return diagnostic('schema/size', { bound: `Items ${String(p.j)} and ${String(p.i)} are the same; each item may appear once` }, { file: file.path, range: at('value', [Number(p.i)]), path: toPointer([...path, Number(p.i)]) });
    case 'dependentRequired':
      return diagnostic('schema/required', { key: String(p.missingProperty), where: where(kind, path) }, { file: file.path, range: at(), path: pointer });
    case 'oneOf': {
      // With no branch passing, the branches' own errors say what is wrong; with several, nothing else does.
      const passing = p.passingSchemas;
      if (!Array.isArray(passing)) return undefined;
      const branches = (parentSchema(root, error)?.oneOf ?? []) as Array<{ description?: string }>;
      const shapes = passing.map((i: number) => branches[i]?.description ?? `shape ${i + 1}`);
      return diagnostic('schema/ambiguous', { shapes }, { file: file.path, range: at(), path: pointer });
    }
    // Summaries of errors already reported by the branch that applied (or, for `anyOf`, by every branch).
    case 'if': case 'discriminator': case 'anyOf':
      return undefined;
    default:
      return diagnostic('schema/invalid', { detail: error.message ?? error.keyword }, { file: file.path, range: at(), path: pointer });
  }
}

/** Checks one file against its kind's schema; errors point at the exact key or value. */
export function validateSchema(file: YamlFile, kind: Kind): Diagnostic[] {
  const value = file.value as Record<string, unknown>;
  if (typeof value.version === 'string' && value.version !== VERSION) {
    return [diagnostic('schema/version', { found: value.version }, { file: file.path, range: rangeFor(file, ['version']), path: '/version' })];
  }
  const validate = schemaValidators().get(kind)!;
  if (validate(value)) return [];
  return schemaDiagnostics(file, kind, validate.errors ?? [], publishedSchema(kind));
}

/**
 * Turns a failed validation's errors into diagnostics, one per mistake. `root` is the
 * schema the errors' paths point into. A file that failed always gets at least one.
 */
export function schemaDiagnostics(file: YamlFile, kind: Kind, errors: readonly ErrorObject[], root: unknown): Diagnostic[] {
  const misspelt = new Set(errors.filter((e) => e.keyword === 'additionalProperties').flatMap((e) => {
    const known = Object.keys((parentSchema(root, e) as { properties?: object } | undefined)?.properties ?? {});
    const suggestion = suggest(String(e.params.additionalProperty), known);
    return suggestion ? [`${e.instancePath}/${suggestion}`] : [];
  }));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of errors) {
    // A misspelt key is one mistake: report the unknown key (with its suggestion), not also the missing one.
    if (error.keyword === 'required' && misspelt.has(`${error.instancePath}/${String(error.params.missingProperty)}`)) continue;
    // A key of the wrong shape is reported once, by `propertyNames`, not again by its inner pattern.
    if ('propertyName' in error) continue;
    let d: Diagnostic | undefined;
    try {
      d = toDiagnostic(file, kind, root, error);
    } catch (failure) {
      d = diagnostic('internal/rule-crashed', { rule: `schema ${error.keyword}`, error: failure instanceof Error ? failure.message : String(failure) }, { file: file.path, range: rangeFor(file, fromPointer(error.instancePath)) });
    }
    if (!d) continue;
    const key = `${d.code}|${d.range.start.line}:${d.range.start.character}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  // Summaries are skipped because a more precise error says the same; should none do, the summary must not be lost.
  if (out.length === 0 && errors.length > 0) {
    const first = errors[0]!;
    out.push(diagnostic('schema/invalid', { detail: first.message ?? first.keyword }, { file: file.path, range: rangeFor(file, fromPointer(first.instancePath)), path: first.instancePath }));
  }
  return out;
}
