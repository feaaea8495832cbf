import type { ProjectModel } from '../model/project-model.js';

/** The project's minimum cell size: a value on fewer HCPs than this is hidden (the default is filled in by the model). */
export const minCellOf = (project: Pick<ProjectModel, 'privacy'>): number => project.privacy.minCellSize;

/**
 * Complementary suppression over cells that add up to a shown total: a single hidden cell
 * could be recovered as the total minus the others, so while fewer than two cells are
 * hidden, or the hidden cells together count fewer than the minimum, the smallest shown
 * cell is hidden too. Returns the indexes to hide.
 */
export function complementarySuppression(ns: readonly number[], minCell: number): Set<number> {
  const hidden = new Set(ns.flatMap((n, i) => (n < minCell ? [i] : [])));
  if (hidden.size === 0) return hidden;
  const sum = () => [...hidden].reduce((s, i) => s + ns[i]!, 0);
  while (hidden.size < ns.length && (hidden.size < 2 || sum() < minCell)) {
    const next = ns.map((n, i) => [n, i] as const).filter(([, i]) => !hidden.has(i)).sort((a, b) => a[0] - b[0] || a[1] - b[1])[0]!;
    hidden.add(next[1]);
  }
  return hidden;
}
