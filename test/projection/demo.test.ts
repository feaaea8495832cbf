import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { demoSnapshot, removeTempDirs, tempDir } from '../support/snapshots.js';

let dir: string;
let run: { code: number | null; stderr: string };

beforeAll(async () => {
  const snapshot = await demoSnapshot();
  dir = tempDir('kpiops-pace-');
  run = await kpiops(['run', '-p', REPO, '--snapshot', snapshot, '--out', dir, '-q']);
}, 120_000);
afterAll(removeTempDirs);

const num = (s: string) => Number(s.replace('%', ''));

describe('the demo brand scorecard mid-quarter', () => {
  it('gives each brand lead\'s goal attainment pace line a projection to quarter end whose range holds its estimate, in text, Markdown and HTML', () => {
    expect(run.code, run.stderr).toBe(0);
    const month = join(dir, 'brand_monthly', '2026-10');
    const texts = readdirSync(month).filter((f) => f.endsWith('.txt'));
    expect(texts).toHaveLength(3);
    for (const file of texts) {
      const line = readFileSync(join(month, file), 'utf8').split('\n').find((l) => l.trim().startsWith('Pace:'))!;
      // October is the first month of Q4; goal attainment's trend reaches 27 months back, but the demo's
      // data starts in 2024-11 (24 months to 2026-10), so 2025-Q1 to 2026-Q3: seven past quarters.
      const m = /on pace for ([\d.]+%) by quarter end \((\d+)% range ([\d.]+)–([\d.]+%), from 7 past quarters\)/.exec(line);
      expect(m, line).not.toBeNull();
      const [, value, coverage, low, high] = m!;
      // Seven past quarters: the 10th and 90th percentiles are ranks 0.8 and 7.2, held to the smallest and
      // largest, which hold one more end with chance 6 ÷ 8.
      expect(coverage).toBe('75');
      expect(num(low!)).toBeLessThanOrEqual(num(value!));
      expect(num(value!)).toBeLessThanOrEqual(num(high!));
      const base = file.replace(/\.txt$/, '');
      expect(readFileSync(join(month, `${base}.md`), 'utf8')).toContain(`on pace for ${value} by quarter end`);
      expect(readFileSync(join(month, `${base}.html`), 'utf8')).toContain(`on pace for ${value} by quarter end`);
    }
  });
});
