import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Range } from '../diagnostics/diagnostic.js';
import { rangeOf, type YamlFile } from './yaml-file.js';

/** A path into a YAML value: keys of mappings and indexes of sequences. */
export type ValuePath = ReadonlyArray<string | number>;

/** What to point at: the key of the last segment (for unknown keys) or its value. */
export type Target = 'key' | 'value';

/** Parses a JSON pointer (`/measure/numerator/where`) into a path. */
export function fromPointer(pointer: string): ValuePath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export const toPointer = (path: ValuePath) => path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function pairOf(node: unknown, segment: string | number): Pair<Node, Node | null> | undefined {
  if (!isMap(node)) return undefined;
  return (node.items as Array<Pair<Node, Node | null>>).find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
}

/**
 * The source range of the value (or key) at `path`, or of the nearest existing
 * ancestor when the path does not exist (as for a missing required key).
 */
export function rangeFor(file: YamlFile, path: ValuePath, target: Target = 'value'): Range {
  let node: unknown = file.doc.contents;
  let best: Node | undefined = (node as Node) ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) break;
      node = item;
      best = item;
      continue;
    }
    const pair = pairOf(node, segment);
    if (!pair) break;
    if (last && target === 'key') {
      best = pair.key;
      break;
    }
    node = pair.value;
    // `key:` with nothing after it has no value node: point at the key.
    best = (pair.value && pair.value.range ? pair.value : pair.key) ?? best;
  }
  const r = best?.range;
  return r ? rangeOf(file.lines, r[0], r[1]) : rangeOf(file.lines, 0, 0);
}

/** The range of a character span inside the scalar at `path` (for expression errors). */
export function rangeInScalar(file: YamlFile, path: ValuePath, from: number, to: number): Range {
  let node: unknown = file.doc.contents;
  for (const segment of path) node = isSeq(node) ? node.items[Number(segment)] : pairOf(node, segment)?.value;
  if (!isScalar(node) || !node.range) return rangeFor(file, path);
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  if (node.type !== 'PLAIN' && !quoted) return rangeFor(file, path);
  const start = node.range[0] + (quoted ? 1 : 0);
  // Offsets map onto the file only when the value is written as it reads (no folding, no escapes).
  if (file.text.slice(start, start + String(node.value).length) !== String(node.value)) return rangeFor(file, path);
  return rangeOf(file.lines, start + from, start + to);
}
