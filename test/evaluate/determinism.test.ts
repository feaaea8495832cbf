import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateResults } from '../../src/pipeline/evaluate.js';
import { snapshotOf } from '../../src/pipeline/snapshot.js';
import { parsePeriod } from '../../src/model/period.js';
import { kpiops } from '../support/cli.js';
import { REPO, validateWith } from '../support/demo-project.js';
import { demoSnapshot, load, readManifest, removeTempDirs, tempDir } from '../support/snapshots.js';

// Float sums added in parallel come out in a different order on every run: before sums were
// exact decimals, every one of six evaluations of the demo snapshot differed (the engagement
// index in its last digits). Several runs with several threads make a regression show.
let snapshot: string;
beforeAll(async () => {
  snapshot = await demoSnapshot();
});
afterAll(removeTempDirs);

describe('the same snapshot always gives the same results', () => {
  it('kpiops eval three times on the demo snapshot writes byte-identical results', async () => {
    const dir = tempDir('kpiops-results-');
    const outputs: string[] = [];
    for (const i of [1, 2, 3]) {
      const out = join(dir, `results-${i}.json`);
      const run = await kpiops(['eval', '-p', REPO, '--snapshot', snapshot, '--out', out, '-q']);
      expect(run.code, run.stderr).toBe(0);
      outputs.push(readFileSync(out, 'utf8'));
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  }, 120_000);

  it('with four DuckDB threads, one loaded snapshot evaluated three times gives identical results', async () => {
    const demo = validateWith([]);
    const loaded = await load(demo, snapshot, 'snap', 4);
    try {
      const manifest = readManifest(snapshot);
      const texts = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const results = await evaluateResults({ validated: demo, db: loaded.db, snapshot: snapshotOf(manifest, ''), period: parsePeriod('2026-10')!, blocked: [] });
        texts.add(JSON.stringify(results));
      }
      expect(texts.size).toBe(1);
    } finally {
      loaded.db.close();
    }
  }, 120_000);
});
