import { kindFacts } from '../model/kinds.js';
import type { MeasureModel } from '../model/measure.js';
import type { ProjectModel } from '../model/project-model.js';

/** Whether a measure's value counts HCPs: a figure per HCP (`perEntity` in `kinds.ts`), or a ratio with a count of HCPs in it. */
const countsHcps = (m: MeasureModel): boolean =>
  kindFacts(m.kind).perEntity || (m.kind === 'ratio' && (m.numerator.fn === 'entities' || m.denominator.fn === 'entities'));

/** The table a measure's rows come from (a ratio's: its numerator's). */
const sourceOf = (m: MeasureModel): string | undefined => ('source' in m ? m.source : m.kind === 'ratio' ? m.numerator.source : undefined);

/**
 * Whether a KPI's total over a dimension counts each HCP once while the dimension's parts
 * can each count the same HCP: a per-HCP figure (reach, an index, HCP counts) split by a
 * column of the events (a brand) rather than of the HCP (a country). The total is then
 * not the sum or the average of its parts: an HCP reached by two brands is one reached HCP.
 */
export function countsEachHcpOnce(measure: MeasureModel, dimension: string, project: Pick<ProjectModel, 'entity' | 'sources'>): boolean {
  if (project.sources[project.entity.source]?.columns[dimension] !== undefined) return false;
  const source = sourceOf(measure);
  return source !== undefined && project.sources[source]?.columns[dimension] !== undefined && countsHcps(measure);
}

/** "brand" → "brands", "country" → "countries". */
export const plural = (word: string) => (/[^aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : `${word}s`);
