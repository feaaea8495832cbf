import type { EntityWords } from '../model/entity-words.js';
import type { KpiModel } from '../model/kpi.js';
import type { KpiResultSpec, Results } from '../spec/results.js';
import type { ScorecardContext } from './context.js';
import { formatMix, label } from './format.js';
import { plural } from './population.js';
import { complementarySuppression } from './privacy.js';
import { kpiRow } from './row.js';
import { sameDims } from './slice.js';
import { statusView } from './status-words.js';
import type { Dims } from './target.js';
import { isMix, type BreakdownCell, type KpiRow } from './view.js';

/** A row's cells for each value of the breakdown dimension, with complementary suppression across them. */
export function breakdownCells(spec: KpiModel, result: KpiResultSpec, base: Dims, dimension: string, values: readonly string[], ctx: ScorecardContext, minCell: number): BreakdownCell[] {
  const rows = values.map((v) => {
    const dims = { ...base, [dimension]: v };
    const slice = result.slices.find((s) => sameDims(s.dims as Dims, dims));
    return kpiRow({ spec, result, slice, dims, ctx, minCell });
  });
  const hide = complementarySuppression(rows.map((r) => r.n), minCell);
  return rows.map((r, i) => (hide.has(i)
    ? { value: values[i]!, display: '⊘', n: r.n, status: statusView('suppressed', r.n < minCell ? `fewer than ${minCell} behind the value` : 'hidden so that a smaller hidden cell cannot be worked out from the total'), suppressed: true }
    // A cell has no list of shares below it: a mix without a target shows its shares in the cell.
    : { value: values[i]!, display: r.mix && r.status.status !== 'green' && r.status.status !== 'amber' && r.status.status !== 'red' && isMix(r.value) ? formatMix(r.value) : r.display, n: r.n, status: r.status, suppressed: false }));
}

/** The values a dimension takes in a KPI's results (for breakdown columns), sorted. */
export function dimensionValues(results: Results, kpiIds: readonly string[], dimension: string): string[] {
  const values = new Set<string>();
  for (const k of results.kpis) {
    if (!kpiIds.includes(k.id)) continue;
    for (const s of k.slices) {
      const keys = Object.keys(s.dims);
      if (keys.length === 1 && keys[0] === dimension && s.dims[dimension] !== null) values.add(String(s.dims[dimension]));
    }
  }
  return [...values].sort();
}

/**
 * A total beside parts that can each count the same HCP (reach by brand) is another
 * population than any part: 97.6% of HCPs reached by some brand, next to brands at 48–67%.
 * The KPI's one target is the target of each part the scorecard lists, so the total shows
 * its value with a note saying what it counts, and no status of its own.
 */
export function asTotalOfOverlappingParts(row: KpiRow, dimension: string, entity: EntityWords): void {
  const parts = plural(label(dimension));
  row.total_note = `All ${parts} counts each ${entity.one} once, so it is not the sum or average of the ${parts}`;
  const colour = row.status.status === 'green' || row.status.status === 'amber' || row.status.status === 'red';
  if (row.target) {
    delete row.target;
    if (colour) row.status = statusView('no_target', `the target is set for each ${label(dimension)}`);
  }
}
