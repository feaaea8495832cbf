import type { Grain } from './common.js';
import type { GrainTargetSpec, OverrideSpec, TargetSpec, TargetValue } from './target.js';

// Read at run time by every command: this file imports the target spec's types only, never TypeBox.

/**
 * Each place a KPI's target holds a value and overrides, with its path in the file: the
 * target itself and each grain's entry. What checks one value or override checks them all.
 */
export function targetBlocks(target: TargetSpec | undefined): { path: (string | number)[]; value?: TargetValue; overrides: OverrideSpec[] }[] {
  if (!target) return [];
  const grains = Object.entries(target.grains ?? {}) as [Grain, GrainTargetSpec][];
  return [
    { path: ['target'], ...(target.value !== undefined ? { value: target.value } : {}), overrides: target.overrides ?? [] },
    ...grains.map(([grain, t]) => ({ path: ['target', 'grains', grain], ...(t.value !== undefined ? { value: t.value } : {}), overrides: t.overrides ?? [] })),
  ];
}
