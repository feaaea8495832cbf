import type { Filter, Scalar } from '../spec/filter.js';
import type { ValuePath } from '../source/locate.js';

/** One column condition inside a filter, with where it is written. */
export interface Condition {
  column: string;
  /** The literal values compared with (equalities, lists and comparison operands). */
  values: Array<{ value: Scalar; path: ValuePath }>;
  path: ValuePath;
}

/** The keys of a filter that combine other filters rather than name a column. */
export const LOGICAL_KEYS = ['all', 'any', 'not'] as const;

const isLogical = (key: string): key is (typeof LOGICAL_KEYS)[number] => (LOGICAL_KEYS as readonly string[]).includes(key);

/** Lists every column condition in a filter, descending into `all`, `any` and `not`. */
export function conditions(filter: Filter, path: ValuePath): Condition[] {
  const out: Condition[] = [];
  const stack: Array<[Filter, ValuePath]> = [[filter, path]];
  while (stack.length > 0) {
    const [f, p] = stack.pop()!;
    for (const [key, value] of Object.entries(f)) {
      if (isLogical(key)) {
        if (key === 'not') stack.push([value as Filter, [...p, key]]);
        else (value as Filter[]).forEach((g, i) => stack.push([g, [...p, key, i]]));
        continue;
      }
      out.push({ column: key, values: literals(value, [...p, key]), path: [...p, key] });
    }
  }
  return out;
}

function literals(value: unknown, path: ValuePath): Condition['values'] {
  if (Array.isArray(value)) return value.map((v, i) => ({ value: v as Scalar, path: [...path, i] }));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([op, operand]) =>
      op === 'is_null' ? [] : Array.isArray(operand) ? operand.map((v, i) => ({ value: v as Scalar, path: [...path, op, i] })) : [{ value: operand as Scalar, path: [...path, op] }]);
  }
  return [{ value: value as Scalar, path }];
}
