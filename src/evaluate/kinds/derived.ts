import { computeExpression, type parseExpression } from '../../model/expression.js';
import type { Dims } from '../rows.js';
import type { InputValue, Value } from '../values.js';

/** A formula over other KPIs' values in the same period and slice; its support is the smallest of theirs. */
export function derivedValue(parsed: ReturnType<typeof parseExpression>, slice: Dims, period: string, input: InputValue): Value {
  if (!('expr' in parsed)) return { value: null, reason: 'the formula does not parse', n: 0, components: {} };
  const used: Record<string, number | null> = {};
  let n = Infinity;
  const result = computeExpression(parsed.expr, (id) => {
    const v = input(id, slice, period);
    const value = typeof v?.value === 'number' ? v.value : null;
    used[id] = value;
    if (v) n = Math.min(n, v.n);
    return value;
  });
  const support = Number.isFinite(n) ? n : 0;
  return 'value' in result ? { value: result.value, n: support, components: { inputs: used } } : { value: null, reason: result.reason, n: support, components: { inputs: used } };
}
