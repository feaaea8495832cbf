/**
 * The formula language of `derived` KPIs: numbers, KPI ids, + − × ÷, unary minus,
 * parentheses and the functions min, max and abs. It is parsed into a tree and never
 * evaluated as code.
 */
export type Expr = Span &
  (
    | { type: 'number'; value: number }
    | { type: 'kpi'; id: string }
    | { type: 'unary'; op: '-'; operand: Expr }
    | { type: 'binary'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr }
    | { type: 'call'; fn: (typeof FUNCTIONS)[number]; args: Expr[] }
  );

/** Where a part of a formula is written: character offsets into the formula, end exclusive. */
export interface Span {
  from: number;
  to: number;
}

export const FUNCTIONS = ['min', 'max', 'abs'] as const;
const ARITY: Record<(typeof FUNCTIONS)[number], [number, number]> = { min: [2, Infinity], max: [2, Infinity], abs: [1, 1] };

export interface ExpressionError {
  message: string;
  from: number;
  to: number;
}

type Token = { kind: 'number' | 'name' | 'op' | 'end'; text: string; from: number; to: number };

function tokenize(source: string): Token[] | ExpressionError {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([a-z_][a-z0-9_]*)|([-+*/(),]))/y;
  let at = 0;
  while (at < source.length) {
    pattern.lastIndex = at;
    const m = pattern.exec(source);
    if (!m) {
      const from = at + (source.slice(at).length - source.slice(at).trimStart().length);
      if (from >= source.length) break;
      return { message: `unexpected character "${source[from]}"`, from, to: from + 1 };
    }
    const text = (m[1] ?? m[2] ?? m[3])!;
    const from = m.index + m[0].length - text.length;
    tokens.push({ kind: m[1] ? 'number' : m[2] ? 'name' : 'op', text, from, to: from + text.length });
    at = pattern.lastIndex;
  }
  tokens.push({ kind: 'end', text: 'end of formula', from: source.length, to: source.length });
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}
  private peek = () => this.tokens[this.i]!;
  private next = () => this.tokens[this.i++]!;
  private fail(token: Token, expected: string): never {
    throw { message: `expected ${expected} but found ${token.kind === 'end' ? 'the end of the formula' : `"${token.text}"`}`, from: token.from, to: Math.max(token.to, token.from + 1) } satisfies ExpressionError;
  }
  parse(): Expr {
    const expr = this.sum();
    if (this.peek().kind !== 'end') this.fail(this.peek(), 'an operator');
    return expr;
  }
  private sum(): Expr {
    let left = this.product();
    while (this.peek().text === '+' || this.peek().text === '-') {
      const op = this.next().text as '+' | '-';
      const right = this.product();
      left = { type: 'binary', op, left, right, from: left.from, to: right.to };
    }
    return left;
  }
  private product(): Expr {
    let left = this.unary();
    while (this.peek().text === '*' || this.peek().text === '/') {
      const op = this.next().text as '*' | '/';
      const right = this.unary();
      left = { type: 'binary', op, left, right, from: left.from, to: right.to };
    }
    return left;
  }
  private unary(): Expr {
    if (this.peek().text === '-') {
      const minus = this.next();
      const operand = this.unary();
      return { type: 'unary', op: '-', operand, from: minus.from, to: operand.to };
    }
    return this.primary();
  }
  private primary(): Expr {
    const token = this.next();
    if (token.kind === 'number') return { type: 'number', value: Number(token.text), from: token.from, to: token.to };
    if (token.text === '(') {
      const inner = this.sum();
      const close = this.next();
      if (close.text !== ')') this.fail(close, '")"');
      // A parenthesised part is shown with its parentheses when a message points at it.
      return { ...inner, from: token.from, to: close.to };
    }
    if (token.kind !== 'name') this.fail(token, 'a number, a KPI id or "("');
    if (this.peek().text !== '(') return { type: 'kpi', id: token.text, from: token.from, to: token.to };
    return this.call(token);
  }
  private call(name: Token): Expr {
    const fn = FUNCTIONS.find((f) => f === name.text);
    if (!fn) throw { message: `unknown function "${name.text}" (use ${FUNCTIONS.join(', ')})`, from: name.from, to: name.to } satisfies ExpressionError;
    this.next();
    const args: Expr[] = [this.sum()];
    while (this.peek().text === ',') {
      this.next();
      args.push(this.sum());
    }
    const close = this.next();
    if (close.text !== ')') this.fail(close, '"," or ")"');
    const [min, max] = ARITY[fn];
    if (args.length < min || args.length > max) {
      throw { message: `${fn} takes ${max === Infinity ? `at least ${min}` : min} argument${min === 1 ? '' : 's'}`, from: name.from, to: close.to } satisfies ExpressionError;
    }
    return { type: 'call', fn, args, from: name.from, to: close.to };
  }
}

const isError = (x: unknown): x is ExpressionError => typeof x === 'object' && x !== null && 'message' in x && 'from' in x;

/** Parses a formula; errors carry the character span they are about. */
export function parseExpression(source: string): { expr: Expr } | { error: ExpressionError } {
  const tokens = tokenize(source);
  if (isError(tokens)) return { error: tokens };
  try {
    return { expr: new Parser(tokens).parse() };
  } catch (error) {
    if (isError(error)) return { error };
    throw error;
  }
}

/** The KPI ids a formula uses, with their spans. */
export function kpiRefs(expr: Expr): Array<Extract<Expr, { type: 'kpi' }>> {
  switch (expr.type) {
    case 'number': return [];
    case 'kpi': return [expr];
    case 'unary': return kpiRefs(expr.operand);
    case 'binary': return [...kpiRefs(expr.left), ...kpiRefs(expr.right)];
    case 'call': return expr.args.flatMap(kpiRefs);
  }
}

/** The value of a part of a formula that names no KPI (`2 * 0`, `min(1, 0)`), undefined otherwise. */
export function constantValue(expr: Expr): number | undefined {
  const result = computeExpression(expr, () => undefined);
  return 'value' in result ? result.value : undefined;
}

/**
 * Every division whose divisor is a constant zero (`x / 0`, `x / (1 - 1)`): the formula could
 * never give a value, so it is a mistake in the definition rather than in the data.
 */
export function zeroDivisors(expr: Expr): Expr[] {
  switch (expr.type) {
    case 'number':
    case 'kpi': return [];
    case 'unary': return zeroDivisors(expr.operand);
    case 'call': return expr.args.flatMap(zeroDivisors);
    case 'binary': {
      const inner = [...zeroDivisors(expr.left), ...zeroDivisors(expr.right)];
      return expr.op === '/' && constantValue(expr.right) === 0 ? [...inner, expr.right] : inner;
    }
  }
}

/**
 * Computes a formula from the values of the KPIs it names. Undefined when an input is
 * missing or a division by zero happens; the reason says which.
 */
export function computeExpression(expr: Expr, value: (id: string) => number | null | undefined): { value: number } | { reason: string } {
  const walk = (e: Expr): number => {
    switch (e.type) {
      case 'number': return e.value;
      case 'kpi': {
        const v = value(e.id);
        if (typeof v !== 'number' || !Number.isFinite(v)) throw { reason: `${e.id} has no value` };
        return v;
      }
      case 'unary': return -walk(e.operand);
      case 'binary': {
        const [l, r] = [walk(e.left), walk(e.right)];
        if (e.op === '/' && r === 0) throw { reason: 'division by zero' };
        return e.op === '+' ? l + r : e.op === '-' ? l - r : e.op === '*' ? l * r : l / r;
      }
      case 'call': {
        const args = e.args.map(walk);
        return e.fn === 'abs' ? Math.abs(args[0]!) : e.fn === 'min' ? Math.min(...args) : Math.max(...args);
      }
    }
  };
  try {
    return { value: walk(expr) };
  } catch (error) {
    if (error && typeof error === 'object' && 'reason' in error) return error as { reason: string };
    throw error;
  }
}
