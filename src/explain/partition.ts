import { entitySourceName, resolveColumn, type Sources } from '../model/catalog.js';
import type { EntityWords } from '../model/entity-words.js';
import type { AggregateModel, MeasureModel } from '../model/measure.js';

/** The sources a measure counts from, and whether what it counts is HCPs (rather than rows, touches or answers). */
function counted(measure: MeasureModel): { sources: string[]; entities: boolean; across: string[] } {
  const agg = (...a: AggregateModel[]) => ({
    sources: a.map((x) => x.source), entities: a.some((x) => x.fn === 'entities'), across: a.flatMap((x) => x.across ?? []),
  });
  switch (measure.kind) {
    case 'ratio': return agg(measure.numerator, measure.denominator);
    case 'growth': return agg(measure.of);
    // Answers are rows: one answer has one brand.
    case 'score': return { sources: [measure.source], entities: false, across: [] };
    default: return { sources: 'source' in measure ? [measure.source] : [], entities: true, across: [] };
  }
}

/**
 * Whether the slices of `dimension` split the KPI's total into disjoint parts, from the
 * definitions alone: an attribute of the HCP puts each HCP (and every row of it) in one
 * slice; a column of the rows (brand, channel) puts each row in one slice, but one HCP can
 * be in several, so it does not split a count of HCPs. The numbers are checked as well.
 */
export function partitionsByDefinition(measure: MeasureModel, dimension: string, project: Sources, words: EntityWords): { partitions: true } | { partitions: false; reason: string } {
  const { sources, entities, across } = counted(measure);
  if (across.includes(dimension)) return { partitions: false, reason: `part of the value is not split by ${dimension}` };
  const entity = entitySourceName(project);
  const ofEntity = sources.length > 0 && sources.every((s) => resolveColumn(project, s, dimension)?.source === entity);
  if (ofEntity || !entities) return { partitions: true };
  return { partitions: false, reason: `${words.a} can be in several ${dimension} slices, so the slices overlap` };
}
