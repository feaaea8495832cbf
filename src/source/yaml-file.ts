import { LineCounter, Parser, isCollection, isMap, isPair, isScalar, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';
import type { Code } from '../diagnostics/codes.js';
import { diagnostic } from '../diagnostics/create.js';
import type { Diagnostic, Range } from '../diagnostics/diagnostic.js';

export const MAX_BYTES = 1_000_000;
export const MAX_DEPTH = 64;
export const MAX_ALIASES = 100;

/** A parsed YAML file: its text, the document with source ranges, and the plain value. */
export interface YamlFile {
  /** Path relative to the project root, with `/` separators. */
  readonly path: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  readonly value: unknown;
}

const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true } as const;

/**
 * A file that parsed cleanly. Its document, with every node's source range, is needed only
 * to point a diagnostic at a place, which a valid project never does; so it is not kept but
 * parsed again from the text on first use (the same text gives the same ranges). Keeping a
 * thousand documents alive made every young-generation collection copy them: about 40 ms
 * of `validate` on a thousand KPI files.
 */
class ParsedFile implements YamlFile {
  #doc?: Document.Parsed;
  #lines?: LineCounter;
  constructor(
    readonly path: string,
    readonly text: string,
    readonly value: unknown,
  ) {}
  get doc(): Document.Parsed {
    if (!this.#doc) {
      this.#lines = new LineCounter();
      this.#doc = parseDocument(this.text, { lineCounter: this.#lines, ...PARSE_OPTIONS });
    }
    return this.#doc;
  }
  get lines(): LineCounter {
    if (!this.#lines) void this.doc;
    return this.#lines!;
  }
}

export function rangeOf(lines: LineCounter, start: number, end: number): Range {
  const a = lines.linePos(start);
  const b = lines.linePos(Math.max(start, end));
  return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
}

const YAML_ERROR_CODES: Record<string, Code> = {
  DUPLICATE_KEY: 'yaml/duplicate-key',
  TAB_AS_INDENT: 'yaml/tab-indent',
  BAD_INDENT: 'yaml/bad-indent',
  MULTIPLE_DOCS: 'yaml/multiple-documents',
  RESOURCE_EXHAUSTION: 'yaml/too-deep',
};

/** Strict UTF-8 (a byte sequence that is not UTF-8 throws), dropping a leading BOM; each call starts afresh. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes bytes as UTF-8 text, refusing what is not text. */
function decode(path: string, bytes: Uint8Array): { text?: string; diagnostic?: Diagnostic } {
  const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (bytes.length > MAX_BYTES) return { diagnostic: diagnostic('file/too-large', { bytes: bytes.length, limit: MAX_BYTES }, { file: path, range: whole }) };
  if (bytes.includes(0)) return { diagnostic: diagnostic('file/binary', { reason: 'it contains NUL bytes' }, { file: path, range: whole }) };
  try {
    const text = UTF8.decode(bytes);
    return { text };
  } catch {
    return { diagnostic: diagnostic('file/binary', { reason: 'it is not valid UTF-8' }, { file: path, range: whole }) };
  }
}

/**
 * The first syntax error, plus every duplicate key: after the first real syntax error the
 * parser's recovery guesses, and its further errors mislead more than they help.
 */
function syntaxDiagnostics(path: string, text: string, doc: Document.Parsed, linesOf: () => LineCounter): Diagnostic[] {
  if (doc.errors.length === 0) return [];
  const lines = linesOf();
  const first = doc.errors.find((e) => e.code !== 'DUPLICATE_KEY');
  const kept = doc.errors.filter((e) => e === first || e.code === 'DUPLICATE_KEY');
  return kept.map((error) => {
    const code = YAML_ERROR_CODES[error.code] ?? 'yaml/syntax';
    let start = error.pos[0];
    // Indentation errors are reported at the line's start; point at the item instead.
    if (code === 'yaml/bad-indent') while (text[start] === ' ') start++;
    const range = rangeOf(lines, start, Math.max(start, error.pos[1]));
    const detail = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    if (code === 'yaml/duplicate-key') {
      const key = findDuplicateKey(doc, error.pos[0]);
      return diagnostic('yaml/duplicate-key', { key }, { file: path, range: range });
    }
    if (code === 'yaml/too-deep') return diagnostic('yaml/too-deep', { limit: MAX_DEPTH }, { file: path, range: range });
    if (code === 'yaml/tab-indent' || code === 'yaml/multiple-documents') return diagnostic(code, {}, { file: path, range: range });
    if (code === 'yaml/bad-indent') return diagnostic(code, { detail }, { file: path, range: range });
    return diagnostic('yaml/syntax', { detail }, { file: path, range: range });
  });
}

function findDuplicateKey(doc: Document.Parsed, offset: number): string {
  let found = '?';
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.range && pair.key.range[0] <= offset && offset <= pair.key.range[1]) found = String(pair.key.value);
    },
  });
  return found;
}

/**
 * The tags a project file may use: those of the YAML core schema (`!!str`, `!!int` …) and the
 * non-specific `!`. Any other tag (`!!js/function`, `!!binary`, `!!timestamp`, `!custom`)
 * would either be kept as plain text or turned into a value no schema expects, so it is refused.
 */
const CORE_TAGS = new Set(['!', ...['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`)]);

/** Where each tag is written: the parser keeps tags' offsets only in its concrete syntax tree. */
function tagOffsets(text: string): Array<{ offset: number; source: string }> {
  const found: Array<{ offset: number; source: string }> = [];
  const stack: unknown[] = [...new Parser().parse(text)];
  while (stack.length > 0) {
    const token = stack.pop();
    if (token === null || typeof token !== 'object') continue;
    const t = token as { type?: unknown; offset?: unknown; source?: unknown };
    if (t.type === 'tag' && typeof t.offset === 'number' && typeof t.source === 'string') found.push({ offset: t.offset, source: t.source });
    else stack.push(...Object.values(token));
  }
  return found.sort((a, b) => a.offset - b.offset);
}

/**
 * Every tag outside the core schema, and every core tag whose value does not read as that
 * type (`!!int abc`), at the tag. The YAML library only warns about these and keeps the text.
 */
function tagDiagnostics(path: string, text: string, doc: Document.Parsed, linesOf: () => LineCounter, tagged: Node[]): Diagnostic[] {
  const unresolved = doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (tagged.length === 0 && unresolved.length === 0) return [];
  const lines = linesOf();
  const offsets = tagOffsets(text);
  // A node's tag is the last one written before the node itself.
  const tagOf = (node: Node) => offsets.filter((t) => t.offset < (node.range?.[0] ?? 0)).at(-1);
  const out: Diagnostic[] = [];
  const seen = new Set<number>();
  for (const node of tagged) {
    const tag = tagOf(node) ?? { offset: node.range?.[0] ?? 0, source: node.tag! };
    seen.add(tag.offset);
    const range = rangeOf(lines, tag.offset, tag.offset + tag.source.length);
    if (!CORE_TAGS.has(node.tag!)) out.push(diagnostic('yaml/unknown-tag', { tag: tag.source }, { file: path, range: range }));
    else if (unresolved.some((w) => w.pos[0] === tag.offset)) out.push(diagnostic('yaml/tag-mismatch', { tag: tag.source }, { file: path, range: range }));
  }
  // A warning about a tag no node kept is still a tag kpiops did not read.
  for (const w of unresolved.filter((x) => !seen.has(x.pos[0]))) out.push(diagnostic('yaml/unknown-tag', { tag: text.slice(w.pos[0], w.pos[1]) }, { file: path, range: rangeOf(lines, w.pos[0], w.pos[1]) }));
  return out;
}

/**
 * In one walk over the document, in the order it is written: the nodes that carry a tag, the
 * first mapping key that is not a plain word or number (a list, a mapping, or empty), and the
 * first collection nested deeper than MAX_DEPTH. Without recursion, so depth cannot overflow it.
 */
function shapeOf(doc: Document.Parsed): { tagged: Node[]; oddKey?: Node; deep?: Node } {
  const tagged: Node[] = [];
  let oddKey: Node | undefined;
  let deep: Node | undefined;
  const stack: Array<[unknown, number]> = [[doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (isPair(node)) {
      const key = node.key as Node | null;
      if (!oddKey && (!isScalar(key) || key.value === null || typeof key.value === 'object')) oddKey = (key ?? (node.value as Node | null)) ?? undefined;
      // The key counts no deeper than its mapping; the value one level down.
      stack.push([node.value, depth], [key, depth]);
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if ((node as Node).tag !== undefined) tagged.push(node as Node);
    if (!isCollection(node)) continue;
    if (!deep && depth > MAX_DEPTH) deep = node;
    for (let i = node.items.length - 1; i >= 0; i--) stack.push([node.items[i], depth + 1]);
  }
  return { tagged, ...(oddKey ? { oddKey } : {}), ...(deep ? { deep } : {}) };
}

function firstAlias(doc: Document.Parsed): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

const describe = (value: unknown) =>
  value === null ? 'nothing (null)' : Array.isArray(value) ? 'a list' : typeof value === 'string' ? 'a plain string' : `a ${typeof value}`;

/**
 * Rebuilds parsed mappings as objects without a prototype, so that a key named like a
 * built-in property (`constructor`, `__proto__`, `toString`) is only ever an ordinary key:
 * looking up a source, column or KPI by a name from YAML never finds an inherited member.
 */
export function withoutPrototypes(value: unknown): unknown {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
    } else if (node !== null && typeof node === 'object') {
      // In place: the parser's objects are fresh and ours alone.
      Object.setPrototypeOf(node, null);
      for (const key of Object.keys(node)) stack.push((node as Record<string, unknown>)[key]);
    }
  }
  return value;
}

/** The line starts of `text` as the YAML parser counts them (what `parseDocument`'s `lineCounter` gets). */
function lineStarts(text: string): LineCounter {
  const lines = new LineCounter();
  for (const _ of new Parser(lines.addNewLine).parse(text)) void _;
  return lines;
}

/** Parses one YAML file, keeping source ranges. Never throws: every problem is a diagnostic. */
export function parseYamlFile(path: string, bytes: Uint8Array): { file?: YamlFile; text?: string; diagnostics: Diagnostic[] } {
  const decoded = decode(path, bytes);
  if (decoded.diagnostic) return { diagnostics: [decoded.diagnostic] };
  const text = decoded.text!;
  const doc = parseDocument(text, PARSE_OPTIONS);
  // Line starts are needed only to say where a problem is: counted (by the same parser) only then.
  let lines: LineCounter | undefined;
  const linesOf = () => (lines ??= lineStarts(text));
  const diagnostics = syntaxDiagnostics(path, text, doc, linesOf);
  if (diagnostics.length > 0) return { text, diagnostics };
  const nodeRange = (node: Node | undefined) => (node?.range ? rangeOf(linesOf(), node.range[0], node.range[1]) : rangeOf(linesOf(), 0, 0));
  if (doc.contents === null) return { text, diagnostics: [diagnostic('file/empty', {}, { file: path, range: rangeOf(linesOf(), 0, 0) })] };
  const { tagged, oddKey, deep } = shapeOf(doc);
  const tags = tagDiagnostics(path, text, doc, linesOf, tagged);
  if (tags.length > 0) return { text, diagnostics: tags };
  if (oddKey) return { text, diagnostics: [diagnostic('yaml/complex-key', {}, { file: path, range: nodeRange(oddKey) })] };
  if (deep) return { text, diagnostics: [diagnostic('yaml/too-deep', { limit: MAX_DEPTH }, { file: path, range: nodeRange(deep) })] };
  let value: unknown;
  try {
    value = withoutPrototypes(doc.toJS({ maxAliasCount: MAX_ALIASES }));
  } catch (error) {
    const alias = firstAlias(doc);
    const message = error instanceof Error ? error.message : String(error);
    const code = /Excessive alias count/.test(message) ? 'yaml/alias-limit' : 'yaml/unresolved-alias';
    const params = code === 'yaml/alias-limit' ? { limit: MAX_ALIASES } : { alias: alias?.source ?? '?' };
    return { text, diagnostics: [diagnostic(code, params as never, { file: path, range: nodeRange(alias) })] };
  }
  if (!isMap(doc.contents)) {
    return { text, diagnostics: [diagnostic('yaml/not-a-mapping', { found: describe(value) }, { file: path, range: nodeRange(doc.contents) })] };
  }
  return { file: new ParsedFile(path, text, value), text, diagnostics: [] };
}
