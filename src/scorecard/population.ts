import type { KpiSpec } from '../spec/kpi.js';
import type { ProjectSpec } from '../spec/project.js';

/** Kinds whose value is a figure per HCP (reached or not, an index, a stage, over the cap or not, back or not), over all of the HCP's events. */
const PER_HCP_KINDS = new Set(['reach', 'index', 'stage', 'cap', 'reengagement']);

const countsHcps = (m: KpiSpec['measure']): boolean => {
  if (PER_HCP_KINDS.has(m.kind)) return true;
  if (m.kind !== 'ratio') return false;
  const parts = [(m as { numerator?: { count?: string } }).numerator, (m as { denominator?: { count?: string } }).denominator];
  return parts.some((p) => p?.count === 'entities');
};

const sourceOf = (m: KpiSpec['measure']): string | undefined =>
  (m as { source?: string }).source ?? (m as { numerator?: { source?: string } }).numerator?.source;

/**
 * Whether a KPI's total over a dimension counts each HCP once while the dimension's parts
 * can each count the same HCP: a per-HCP figure (reach, an index, HCP counts) split by a
 * column of the events (a brand) rather than of the HCP (a country). The total is then
 * not the sum or the average of its parts: an HCP reached by two brands is one reached HCP.
 */
export function countsEachHcpOnce(spec: KpiSpec, dimension: string, project: ProjectSpec): boolean {
  const entity = Object.values(project.sources).find((s) => s.entity);
  if (!entity || entity.columns[dimension] !== undefined) return false;
  const source = sourceOf(spec.measure);
  return source !== undefined && project.sources[source]?.columns[dimension] !== undefined && countsHcps(spec.measure);
}

/** "brand" → "brands", "country" → "countries". */
export const plural = (word: string) => (/[^aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : `${word}s`);
