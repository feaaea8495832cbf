import { dimColumn, type ComponentRef, type PlannedQuery } from '../compile/plan.js';

/** A slice: dimension → value (a rolled-up dimension is absent). */
export type Dims = Record<string, string | number | boolean | null>;
export type Row = Record<string, unknown>;

/** Canonical text of a slice, for lookups: its dimensions sorted by name. */
export const sliceKey = (dims: Dims) => JSON.stringify(Object.keys(dims).sort().map((d) => [d, dims[d]]));

/** The dimensions a row is grouped by (from its `gid` bits) with their values. */
export function rowDims(query: PlannedQuery, row: Row): Dims {
  const gid = Number(row.gid ?? 0);
  const n = query.dims.length;
  const dims: Dims = {};
  query.dims.forEach((d, i) => {
    if ((gid & (1 << (n - 1 - i))) === 0) dims[d] = row[dimColumn(d)] as Dims[string];
  });
  return dims;
}

/** The rows of one query, found by period and slice. */
export class QueryRows {
  private readonly byKey = new Map<string, Row>();
  private readonly periodic: boolean;
  readonly slices = new Map<string, Dims>();
  constructor(readonly query: PlannedQuery, readonly rows: readonly Row[]) {
    this.periodic = rows.some((r) => r.period !== undefined && r.period !== null);
    for (const row of rows) {
      const dims = rowDims(query, row);
      const key = sliceKey(dims);
      this.slices.set(key, dims);
      this.byKey.set(`${row.period ?? ''}|${key}`, row);
    }
  }

  /** The component's value in a period and slice; the slice's other dimensions are read as totals. */
  get(ref: ComponentRef, periodMs: number | undefined, slice: Dims): unknown {
    const projected: Dims = {};
    for (const d of ref.dims) if (d in slice) projected[d] = slice[d]!;
    return this.byKey.get(`${this.periodic ? periodMs : ''}|${sliceKey(projected)}`)?.[ref.column];
  }
}
