import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, type Explanation } from '../../src/explain/explain.js';
import { partitionsByDefinition } from '../../src/explain/partition.js';
import { ratioForm } from '../../src/explain/ratio-form.js';
import type { LoadedSnapshot } from '../../src/engine/duckdb/load-snapshot.js';
import { parsePeriod } from '../../src/model/period.js';
import { evaluateResults } from '../../src/pipeline/evaluate.js';
import { modelOf, type Project } from '../../src/pipeline/project.js';
import { snapshotOf } from '../../src/pipeline/snapshot.js';
import type { Results } from '../../src/spec/results.js';
import { validateWith } from '../support/demo-project.js';
import { demoSnapshot, load, readManifest } from '../support/snapshots.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The property behind every exact split: on the demo catalog and snapshot, for every KPI
 * whose value is one ratio and every dimension whose slices partition it, the slices'
 * contributions add up to the change of the total (October 2026 against September).
 */
let project: Project;
let loaded: LoadedSnapshot;
let before: Results;
let after: Results;
beforeAll(async () => {
  const validated = validateWith([]);
  project = { ...validated, model: modelOf(validated) };
  const dir = await demoSnapshot();
  loaded = await load(validated, dir);
  const snapshot = snapshotOf(readManifest(dir), readFileSync(join(dir, 'snapshot.yaml'), 'utf8'));
  const at = (label: string) => evaluateResults({ validated, db: loaded.db, snapshot, period: parsePeriod(label, project.model.calendar)!, blocked: [] });
  [before, after] = [await at('2026-09'), await at('2026-10')];
}, 240_000);
afterAll(() => loaded?.db.close());

describe('the demo catalog, October 2026 against September', () => {
  it('adds up exactly for every ratio-like KPI and every dimension that partitions it', () => {
    const ratioLike = project.model.kpis.filter((k) => !('reason' in ratioForm(k.measure)));
    const checked: string[] = [];
    let [additive, overlapping] = [0, 0];
    for (const kpi of ratioLike) {
      const r0 = before.kpis.find((k) => k.id === kpi.id)!;
      const r1 = after.kpis.find((k) => k.id === kpi.id)!;
      const out = explain(kpi, project.model, r0, r1, kpi.dimensions);
      if ('problem' in out) throw new Error(out.problem);
      const e: Explanation = out.explanation;
      for (const by of e.by) {
        if (by.dimension !== 'parts' && !partitionsByDefinition(kpi.measure, by.dimension, project.model, project.model.words).partitions) {
          // An overlapping dimension is never given effects that do not add up.
          expect(by.additive, `${kpi.id} by ${by.dimension}`).toBe(false);
          expect(by.contributions.every((c) => c.rate_effect === null && c.mix_effect === null)).toBe(true);
          overlapping += 1;
          continue;
        }
        checked.push(`${kpi.id} × ${by.dimension}`);
        if (!by.additive) continue;
        additive += 1;
        const sum = by.contributions.reduce((s, c) => s + c.total!, 0);
        expect(Math.abs(sum - e.change), `${kpi.id} by ${by.dimension}`).toBeLessThan(1e-9);
        for (const c of by.contributions.filter((x) => x.rate_effect !== null)) expect(Math.abs(c.rate_effect! + c.mix_effect! + c.interaction! - c.total!)).toBeLessThan(1e-12);
      }
    }
    // Printed for the record: how many KPI × dimension pairs were checked, how many added up.
    const parts = checked.filter((c) => c.endsWith('× parts')).length;
    console.log(`explain on the demo: ${ratioLike.length} ratio-like KPIs; ${checked.length - parts} partitioning KPI × dimension pairs and ${parts} splits by part checked, ${additive} additive; ${overlapping} overlapping pairs flagged`);
    expect(additive).toBe(checked.length);
    expect(checked.length).toBeGreaterThan(40);
  });
});
