import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { expect } from 'vitest';
import type { Plan } from '../../src/compile/plan.js';
import { REPO } from './demo-project.js';

/**
 * Compares `text` with a reviewed file. `UPDATE=1` writes the file first (then read the diff
 * before committing it); without it a missing file fails, so a deleted or renamed golden
 * never passes by comparing the output with itself.
 */
export function expectGolden(path: string, text: string): void {
  if (process.env.UPDATE === '1') writeFileSync(path, text);
  if (!existsSync(path)) expect.fail(`${relative(REPO, path)} is missing: run the test with UPDATE=1 to write it, then review and commit it`);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

/**
 * The plan as a reviewer reads it: each query as a block headed by its id and what it computes,
 * the KPI columns it feeds, its dimensions and bound parameters, then its SQL exactly as compiled.
 */
export function planSql(plan: Plan, header: { dims?: boolean; feeds?: boolean } = {}): string {
  return `${plan.queries.map((q) => [
    `-- ${q.id}: ${q.description}`,
    ...(header.dims ? [`-- dims: ${q.dims.join(', ') || '(none)'}`] : []),
    ...(header.feeds ? [`-- feeds: ${q.feeds.join(', ')}`] : []),
    `-- parameters: ${JSON.stringify(q.params)}`,
    `${q.sql};`,
  ].join('\n')).join('\n\n')}\n`;
}

/** JSON with two-space indents, each array of plain values on one line: short enough to read in a diff. */
export function readableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(/\[\n\s*((?:(?:"(?:[^"\\]|\\.)*"|-?[\d.e+-]+|true|false|null),?\n\s*)*)\]/g, (_m, items: string) => `[${items.split(/,?\n\s*/).filter(Boolean).join(', ')}]`)}\n`;
}
