import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSample, shapeOf } from '../../src/engine/duckdb/sample/generate.js';
import { validateWith } from '../support/demo-project.js';
import { load, removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

const options = { hcps: 300, months: 6, seed: 11, end: '2026-10' } as const;
const digest = (dir: string) => {
  const hash = createHash('sha256');
  for (const name of ['snapshot.yaml', 'hcps.parquet', 'interactions.parquet', 'responses.parquet', 'goals.parquet', 'rx.parquet', 'content.parquet', 'benchmarks.parquet']) {
    hash.update(readFileSync(join(dir, name)));
  }
  return hash.digest('hex');
};

describe('kpiops sample', () => {
  it('writes byte-identical files for the same options, and different ones for another seed', async () => {
    const [a, b, c] = [tempDir('kpiops-a-'), tempDir('kpiops-b-'), tempDir('kpiops-c-')];
    await generateSample({ ...options, out: a, format: 'parquet' });
    await generateSample({ ...options, out: b, format: 'parquet' });
    await generateSample({ ...options, seed: 12, out: c, format: 'parquet' });
    expect(digest(a)).toBe(digest(b));
    expect(digest(a)).not.toBe(digest(c));
    // Pinned so that a change to the generator (or to DuckDB) that changes the data is noticed.
    // Parquet columns already of their declared type are taken as they are: still every check passes.
    const loaded = await load(validateWith([]), a);
    try {
      expect(loaded.diagnostics).toEqual([]);
      expect(loaded.tables.get('hcps')).toBe(300);
    } finally {
      loaded.db.close();
    }
    expect(digest(a)).toMatchInlineSnapshot(`"c52e6917528bf0749af055b5efc00dd3291ad89f2f04cd3fb2f35080f72a5210"`);
  });

  it('covers the months before --end, with as_of the first day after it', () => {
    // 6 months ending 2026-10: May to October 2026.
    expect(shapeOf({ ...options })).toEqual({ hcps: 300, months: 6, seed: 11, start: '2026-05-01', asOf: '2026-11-01' });
    // 12 months ending 2026-01 start in February of the year before.
    expect(shapeOf({ ...options, months: 12, end: '2026-01' })).toMatchObject({ start: '2025-02-01', asOf: '2026-02-01' });
  });
});
