/** One slice of a ratio KPI in one period: what its value is made of, value = scale × n ÷ d. */
export interface Cell {
  /** The slice's name (a dimension value; null is the slice of rows where it is missing). */
  slice: string | null;
  n: number;
  d: number;
}

/** The total and its slices in one period. */
export interface Side {
  n: number;
  d: number;
  cells: readonly Cell[];
}

/** What one slice adds to the change; the three effects are null where they would not add up. */
export interface Contribution {
  slice: string | null;
  rate_effect: number | null;
  mix_effect: number | null;
  interaction: number | null;
  /** Null only for a slice without a value in one period, when the slices do not partition the total. */
  total: number | null;
}

export interface Split {
  additive: boolean;
  /** The change the contributions do not explain (floating-point dust when additive). */
  residual: number;
  contributions: Contribution[];
  reason?: string;
}

/** Sums agree when they differ by less than this share of the larger (counts are summed in floating point). */
const TOLERANCE = 1e-9;
const close = (a: number, b: number) => Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/** Whether the slices add up to the total in both numerator and denominator. */
export function addsUp(side: Side): boolean {
  return close(sum(side.cells.map((c) => c.n)), side.n) && close(sum(side.cells.map((c) => c.d)), side.d);
}

const key = (slice: string | null) => (slice === null ? '\u0000missing' : `=${slice}`);

/** The slices of either period, paired; a slice absent from one period is empty there. */
function paired(before: Side, after: Side): { slice: string | null; c0: Cell; c1: Cell }[] {
  const out = new Map<string, { slice: string | null; c0: Cell; c1: Cell }>();
  const empty = (slice: string | null): Cell => ({ slice, n: 0, d: 0 });
  for (const c of before.cells) out.set(key(c.slice), { slice: c.slice, c0: c, c1: empty(c.slice) });
  for (const c of after.cells) {
    const found = out.get(key(c.slice));
    if (found) found.c1 = c;
    else out.set(key(c.slice), { slice: c.slice, c0: empty(c.slice), c1: c });
  }
  return [...out.values()];
}

/**
 * Shift-share of the change of scale × N ÷ D over slices that partition the total. With a
 * slice's weight w = d ÷ D and rate r = n ÷ d: rate = w0·(r1 − r0), mix = (w1 − w0)·r0,
 * interaction = (w1 − w0)·(r1 − r0); each slice's sum is w1·r1 − w0·r0, so the slices add to
 * the change. A slice with no denominator in one period has no rate there: its whole
 * contribution (w1·r1 entering, −w0·r0 leaving) is mix, so the sum stays exact.
 */
export function shiftShare(before: Side, after: Side, scale = 1): Split {
  const change = scale * (after.n / after.d - before.n / before.d);
  const contributions = paired(before, after).map(({ slice, c0, c1 }): Contribution => {
    const w0 = c0.d / before.d;
    const w1 = c1.d / after.d;
    if (c0.d === 0 || c1.d === 0) {
      const mix = scale * ((c1.d === 0 ? 0 : w1 * (c1.n / c1.d)) - (c0.d === 0 ? 0 : w0 * (c0.n / c0.d)));
      return { slice, rate_effect: 0, mix_effect: mix, interaction: 0, total: mix };
    }
    const [r0, r1] = [c0.n / c0.d, c1.n / c1.d];
    // (+ 0 turns a −0, a negative times a zero, into 0.)
    const rate = scale * w0 * (r1 - r0) + 0;
    const mix = scale * (w1 - w0) * r0 + 0;
    const interaction = scale * (w1 - w0) * (r1 - r0) + 0;
    return { slice, rate_effect: rate, mix_effect: mix, interaction, total: rate + mix + interaction };
  });
  return { additive: true, residual: change - sum(contributions.map((c) => c.total!)), contributions };
}

/**
 * For slices that do not partition the total: each slice's own change (value1 − value0, null
 * effects) and the residual, the change minus Σ w0·(r1 − r0) with the earlier period's
 * weights over the slices present in both (w0 = d0 ÷ Σ d0): what slice-by-slice changes
 * cannot explain.
 */
export function sliceChanges(before: Side, after: Side, scale: number, reason: string): Split {
  const change = scale * (after.n / after.d - before.n / before.d);
  const pairs = paired(before, after);
  const both = pairs.filter((p) => p.c0.d !== 0 && p.c1.d !== 0);
  const weight = sum(both.map((p) => p.c0.d));
  const explained = sum(both.map((p) => (p.c0.d / weight) * scale * (p.c1.n / p.c1.d - p.c0.n / p.c0.d)));
  const contributions = pairs.map(({ slice, c0, c1 }) => ({
    slice, rate_effect: null, mix_effect: null, interaction: null, total: c0.d === 0 || c1.d === 0 ? null : scale * (c1.n / c1.d - c0.n / c0.d),
  }));
  return { additive: false, residual: change - (weight === 0 ? 0 : explained), contributions, reason };
}

/** Largest contributions first; ties (and slices without a total) by name, so the order is stable. */
export function ordered(cs: Split['contributions']): Split['contributions'] {
  return [...cs].sort((a, b) => Math.abs(b.total ?? 0) - Math.abs(a.total ?? 0) || String(a.slice).localeCompare(String(b.slice)));
}
