import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleCommand } from '../../src/cli/sample.js';
import { generateSample, SAMPLE_FORMAT, shapeOf } from '../../src/engine/duckdb/sample/generate.js';
import { NAMES } from '../../src/engine/duckdb/sample/world.js';
import { validateWith } from '../support/demo-project.js';
import { load, readManifest, removeTempDirs, tempDir, writeManifest } from '../support/snapshots.js';

afterAll(removeTempDirs);

const options = { hcps: 300, months: 6, seed: 11, end: '2026-10' } as const;
const EVERY_FILE = ['snapshot.yaml', 'hcps.parquet', 'interactions.parquet', 'responses.parquet', 'goals.parquet', 'rx.parquet', 'content.parquet', 'benchmarks.parquet', 'recommendations.parquet'];
const digest = (dir: string, files = EVERY_FILE) => {
  const hash = createHash('sha256');
  for (const name of files) {
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
    expect(digest(a)).toMatchInlineSnapshot(`"bc4d43158a816beea4fa48bf66d9926bad7c6b16ca58f1f1ec1e2106157d9ab2"`);
    // The tables other than hcps are as they were before HCPs had names: a name draws on nothing else.
    expect(digest(a, EVERY_FILE.filter((f) => f !== 'snapshot.yaml' && f !== 'hcps.parquet' && f !== 'recommendations.parquet'))).toMatchInlineSnapshot(`"0c4f2b71b2c9382b203cf23091c1c072f3ca96e2e2d2f3d878499b2b22ec7057"`);
    // Every other table is as it was before the sample had suggestions (the digest the format-2
    // generator gave): suggestions draw from their own random stream.
    expect(digest(a, EVERY_FILE.filter((f) => f !== 'snapshot.yaml' && f !== 'recommendations.parquet'))).toBe('5f30ce0b76798459096a9205f435cd1e521b4290687af0b7126afc7be8b687ba');
  });

  it('names every HCP "Dr. <given> <family>" from its own country\'s lists, the same name for the same id whatever the seed', async () => {
    const [a, b] = [tempDir('kpiops-names-a-'), tempDir('kpiops-names-b-')];
    await generateSample({ ...options, out: a, format: 'csv' });
    await generateSample({ ...options, seed: 12, out: b, format: 'csv' });
    const rows = (dir: string) => {
      const [header, ...lines] = readFileSync(join(dir, 'hcps.csv'), 'utf8').trimEnd().split('\n');
      const cols = header!.split(',');
      return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])) as Record<string, string>);
    };
    const first = rows(a);
    expect(first).toHaveLength(300);
    for (const h of first) {
      const names = NAMES[h.country as keyof typeof NAMES];
      const match = /^Dr\. (\S+) (.+)$/.exec(h.name!);
      expect(match, h.name).not.toBeNull();
      expect(names.given).toContain(match![1]);
      expect(names.family).toContain(match![2]);
    }
    // Another seed puts the HCP in another country only by chance; within the same country its name is the same.
    const again = new Map(rows(b).map((h) => [h.hcp_id, h]));
    const same = first.filter((h) => again.get(h.hcp_id)!.country === h.country);
    expect(same.length).toBeGreaterThan(0);
    for (const h of same) expect(again.get(h.hcp_id)!.name).toBe(h.name);
    // Enough different names that a territory of ~130 HCPs reads as people, not as a handful of repeats.
    expect(new Set(first.map((h) => h.name)).size).toBeGreaterThan(200);
  });

  it('covers the months before --end, with as_of the first day after it', () => {
    // 6 months ending 2026-10: May to October 2026.
    expect(shapeOf({ ...options })).toEqual({ hcps: 300, months: 6, seed: 11, start: '2026-05-01', asOf: '2026-11-01' });
    // 12 months ending 2026-01 start in February of the year before.
    expect(shapeOf({ ...options, months: 12, end: '2026-01' })).toMatchObject({ start: '2025-02-01', asOf: '2026-02-01' });
  });
});

describe('kpiops sample --if-missing', () => {
  const run = async (out: string) => {
    let text = '';
    const sink = new PassThrough();
    sink.on('data', (c: Buffer) => { text += c.toString(); });
    const code = await sampleCommand({ out, hcps: '50', months: '3', seed: '5', format: 'csv', end: '2026-10', quiet: true, ifMissing: true }, sink, sink as unknown as NodeJS.WriteStream, process.cwd());
    return { code, text };
  };

  it('keeps a sample of the current format, and makes a new one when the sample came from an older kpiops (no name column)', async () => {
    const dir = tempDir('kpiops-if-missing-');
    expect((await run(dir)).code).toBe(0);
    expect(readManifest(dir).generator).toEqual({ name: 'kpiops_sample', seed: 5, format: SAMPLE_FORMAT });
    expect((await run(dir)).text).toContain('already in');
    // As an older kpiops wrote it: no format recorded, and an HCP table without names.
    const manifest = readManifest(dir);
    delete manifest.generator!.format;
    writeManifest(dir, manifest);
    writeFileSync(join(dir, 'hcps.csv'), 'hcp_id\nH1\n');
    const again = await run(dir);
    expect(again.text).toContain(`was made by an older kpiops (format 1, now ${SAMPLE_FORMAT}): making a new one`);
    expect(readFileSync(join(dir, 'hcps.csv'), 'utf8').split('\n')[0]).toMatch(/,name$/);
  });

  it('makes a new sample when the sample came from the kpiops before suggestions (format 2, no recommendations table)', async () => {
    const dir = tempDir('kpiops-if-missing-');
    await run(dir);
    const manifest = readManifest(dir);
    manifest.generator!.format = 2;
    delete manifest.tables.recommendations;
    writeManifest(dir, manifest);
    const again = await run(dir);
    expect(again.text).toContain(`was made by an older kpiops (format 2, now ${SAMPLE_FORMAT}): making a new one`);
    expect(readManifest(dir).tables.recommendations).toMatchObject({ file: 'recommendations.csv', format: 'csv' });
  });

  it('keeps a snapshot that is not a kpiops sample', async () => {
    const dir = tempDir('kpiops-if-missing-');
    writeFileSync(join(dir, 'snapshot.yaml'), 'version: kpiops/v1\nid: ours\n');
    expect((await run(dir)).text).toContain('already in');
    expect(readFileSync(join(dir, 'snapshot.yaml'), 'utf8')).toBe('version: kpiops/v1\nid: ours\n');
  });
});
