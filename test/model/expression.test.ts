import { describe, expect, it } from 'vitest';
import { kpiRefs, parseExpression, zeroDivisors } from '../../src/model/expression.js';

const refs = (source: string) => {
  const parsed = parseExpression(source);
  if ('error' in parsed) throw new Error(parsed.error.message);
  return kpiRefs(parsed.expr).map((r) => [r.id, r.from, r.to]);
};
const error = (source: string) => {
  const parsed = parseExpression(source);
  return 'error' in parsed ? [parsed.error.message, parsed.error.from, parsed.error.to] : undefined;
};

describe('derived KPI formulas', () => {
  it('parse precedence: * binds tighter than +, unary minus binds tightest', () => {
    expect(parseExpression('a + b * -c')).toEqual({
      expr: {
        type: 'binary', op: '+',
        from: 0, to: 10,
        left: { type: 'kpi', id: 'a', from: 0, to: 1 },
        right: { type: 'binary', op: '*', from: 4, to: 10, left: { type: 'kpi', id: 'b', from: 4, to: 5 }, right: { type: 'unary', op: '-', from: 8, to: 10, operand: { type: 'kpi', id: 'c', from: 9, to: 10 } } },
      },
    });
  });

  it('list the KPI ids they use with their character spans', () => {
    expect(refs('(trx_share - 0.2) * 100 / max(nps, 1)')).toEqual([['trx_share', 1, 10], ['nps', 30, 33]]);
  });

  it('accept numbers in decimal and exponent form', () => {
    expect(parseExpression('1.5e2 - 3')).toEqual({ expr: { type: 'binary', op: '-', from: 0, to: 9, left: { type: 'number', value: 150, from: 0, to: 5 }, right: { type: 'number', value: 3, from: 8, to: 9 } } });
  });

  it.each([
    ['a / * 2', ['expected a number, a KPI id or "(" but found "*"', 4, 5]],
    ['(a + b', ['expected ")" but found the end of the formula', 6, 7]],
    ['a b', ['expected an operator but found "b"', 2, 3]],
    ['a; drop table', ['unexpected character ";"', 1, 2]],
    ['eval(a)', ['unknown function "eval" (use min, max, abs)', 0, 4]],
    ['abs(a, b)', ['abs takes 1 argument', 0, 9]],
    ['min(a)', ['min takes at least 2 arguments', 0, 6]],
    ['', ['expected a number, a KPI id or "(" but found the end of the formula', 0, 1]],
  ])('reject %j with a message and the span to underline', (source, expected) => {
    expect(error(source)).toEqual(expected);
  });

  it.each([
    ['x / 0', [[4, 5]]],
    ['x / (1 - 1)', [[4, 11]]],
    ['x / (2 * 0)', [[4, 11]]],
    ['x / -0', [[4, 6]]],
    ['x / min(0, 1)', [[4, 13]]],
    ['(x / 0) / (0 * y)', [[5, 6]]],
    ['x / (1 - 0.5)', []],
    ['x / y', []],
    ['x / (y - y)', []],
  ])('find each division of %j by a part that is always zero, with its span', (source, expected) => {
    const parsed = parseExpression(source);
    if ('error' in parsed) throw new Error(parsed.error.message);
    expect(zeroDivisors(parsed.expr).map((d) => [d.from, d.to])).toEqual(expected);
  });
});
