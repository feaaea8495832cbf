import type { ScorecardSpec } from '../spec/scorecard.js';
import { label } from './format.js';
import { plural } from './population.js';
import type { Dims } from './target.js';

/** Whether two slices have the same dimensions with the same values. */
export const sameDims = (a: Dims, b: Dims) => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && a[k] === b[k]);
};

/** The slice a recipient sees: the scorecard's slice dimensions set from the recipient's filter. */
export function recipientSlice(scorecard: ScorecardSpec, filter: Dims = {}): Dims {
  return Object.fromEntries((scorecard.slice ?? []).filter((d) => d in filter).map((d) => [d, filter[d]!]));
}

/** "Brand cardiora", "Brand cardiora · Country DE"; undefined for the total. */
export function sliceWords(slice: Readonly<Record<string, unknown>>): string | undefined {
  const parts = Object.entries(slice).map(([d, v]) => `${label(d).replace(/^./, (c) => c.toUpperCase())} ${String(v)}`);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/** "Brand cardiora"; the total is named by what it spans ("All brands"), from the scorecard's slice or breakdown dimension. */
export function sliceLabel(slice: Dims, scorecard: ScorecardSpec): string {
  const words = sliceWords(slice);
  if (words) return words;
  const spans = scorecard.breakdown ?? scorecard.slice?.[0];
  return spans ? `All ${plural(label(spans))}` : 'All';
}
