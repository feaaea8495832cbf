import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleCommand } from '../../src/cli/sample.js';
import { generateSample, SAMPLE_FORMAT, shapeOf } from '../../src/engine/duckdb/sample/generate.js';
import { NAMES } from '../../src/engine/duckdb/sample/world.js';
import { Database, parquetOf } from '../../src/engine/duckdb/database.js';
import { validateWith } from '../support/demo-project.js';
import { load, readManifest, removeTempDirs, tempDir, writeManifest } from '../support/snapshots.js';

afterAll(removeTempDirs);

const options = { hcps: 300, months: 6, seed: 11, end: '2026-10' } as const;
const TABLES = ['hcps', 'interactions', 'responses', 'goals', 'rx', 'content', 'benchmarks', 'recommendations'];
const bytesOf = (dir: string) => {
  const hash = createHash('sha256');
  for (const name of ['snapshot.yaml', ...TABLES.map((t) => `${t}.parquet`)]) hash.update(readFileSync(join(dir, name)));
  return hash.digest('hex');
};

/**
 * A digest of what the tables hold, not of how the files encode it: per table its columns with
 * their types and every row as text, in an order fixed by every column (ORDER BY ALL); with
 * `manifest`, snapshot.yaml without the files' SHA-256 (which hash the bytes). A DuckDB that
 * writes Parquet differently leaves it as it is; a generator that changes one value does not.
 */
async function contentDigest(dir: string, tables = TABLES, manifest = true): Promise<string> {
  const hash = createHash('sha256');
  if (manifest) {
    const { tables: entries, ...rest } = readManifest(dir);
    hash.update(JSON.stringify({ ...rest, tables: Object.fromEntries(Object.entries(entries).map(([t, { sha256: _, ...entry }]) => [t, entry])) }));
  }
  const db = await Database.open({ threads: 1 });
  try {
    for (const table of tables) {
      const file = join(dir, `${table}.parquet`).replace(/'/g, "''");
      const columns = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
      hash.update(`${table}\n${columns.map((c) => `${c.column_name} ${c.column_type}`).join(', ')}\n`);
      for (const row of await db.all(`SELECT COLUMNS(*)::VARCHAR FROM read_parquet('${file}') ORDER BY ALL`)) hash.update(`${JSON.stringify(Object.values(row))}\n`);
    }
  } finally {
    db.close();
  }
  return hash.digest('hex');
}

describe('kpiops sample', () => {
  it('writes byte-identical files for the same options, and different ones for another seed', async () => {
    const [a, b, c] = [tempDir('kpiops-a-'), tempDir('kpiops-b-'), tempDir('kpiops-c-')];
    await generateSample({ ...options, out: a, format: 'parquet' });
    await generateSample({ ...options, out: b, format: 'parquet' });
    await generateSample({ ...options, seed: 12, out: c, format: 'parquet' });
    // The same options give the same bytes (a snapshot's SHA-256 in a manifest stays true); another seed, other data.
    expect(bytesOf(a)).toBe(bytesOf(b));
    expect(await contentDigest(a)).not.toBe(await contentDigest(c));
    // Parquet columns already of their declared type are taken as they are: still every check passes.
    const loaded = await load(validateWith([]), a);
    try {
      expect(loaded.diagnostics).toEqual([]);
      expect(loaded.tables.get('hcps')).toBe(300);
    } finally {
      loaded.db.close();
    }
    // Pinned so that a change to the generator that changes the data is noticed; a change in how
    // DuckDB encodes Parquet is not one (contentDigest hashes the rows, not the files).
    expect(await contentDigest(a)).toBe('7242c7d497c2e6c4cf1ca5194f567d5c6736c1478a796fb9bdca297e850b3006');
    // Every row is as format 3 wrote it: format 4 changed only territories numbered 100 and up,
    // and 300 HCPs make at most 30 per country.
    expect(await contentDigest(a, TABLES, false)).toBe('f7bbffee733901daf4bb77393f52430959ace90970514bc238ddf4c2de0a7dab');
    // The same rows written with another compression and row groups, as another DuckDB might: other bytes, the same digest.
    const recoded = tempDir('kpiops-recoded-');
    const db = await Database.open({ threads: 1 });
    try {
      await db.run(`COPY (SELECT * FROM read_parquet('${join(a, 'hcps.parquet')}')) TO '${join(recoded, 'hcps.parquet')}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 64)`);
    } finally {
      db.close();
    }
    expect(readFileSync(join(recoded, 'hcps.parquet'))).not.toEqual(readFileSync(join(a, 'hcps.parquet')));
    expect(await contentDigest(recoded, ['hcps'], false)).toBe(await contentDigest(a, ['hcps'], false));
    // The tables other than hcps and recommendations are as they were before HCPs had names: a name draws on nothing else.
    expect(await contentDigest(a, TABLES.filter((t) => t !== 'hcps' && t !== 'recommendations'), false)).toBe('f54c02d426baf6dae02263ae1edf094866d2a857342e5f5d1b914d7c4accb231');
    // Every table but recommendations is as it was before the sample had suggestions (as the
    // format-2 generator made it): suggestions draw from their own random stream.
    expect(await contentDigest(a, TABLES.filter((t) => t !== 'recommendations'), false)).toBe('c071b36114a6251d112bd738f0504490d51947456baf4d9cf2b4847d6a6e2cfc');
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

  it('gives every territory its own id, also from the 100th of a country on, and its rep the same one', async () => {
    // Territories per country are round(hcps × weight / 250): at 100,000 HCPs DE (0.25) has
    // 100, FR (0.20) 80, IT (0.17) 68, ES and GB (0.15) 60 each, NL (0.08) 32: 400 in all.
    // Cut to two digits, DE's 100th would be DE-T10 again (399 ids).
    const dir = tempDir('kpiops-territories-');
    await generateSample({ hcps: 100_000, months: 3, seed: 11, end: '2026-10', out: dir, format: 'parquet' });
    const db = await Database.open({ threads: 1 });
    try {
      const file = (t: string) => parquetOf(join(dir, `${t}.parquet`));
      const perCountry = await db.all<{ country: string; n: number }>(`SELECT country, CAST(count(DISTINCT territory) AS INTEGER) AS n FROM ${file('hcps')} GROUP BY country ORDER BY country`);
      expect(Object.fromEntries(perCountry.map((r) => [r.country, r.n]))).toEqual({ DE: 100, ES: 60, FR: 80, GB: 60, IT: 68, NL: 32 });
      const ids = await db.all<{ territory: string }>(`SELECT DISTINCT territory FROM ${file('hcps')} WHERE country = 'DE' ORDER BY territory`);
      expect(ids.map((r) => r.territory)).toEqual(Array.from({ length: 100 }, (_, i) => `DE-T${String(i + 1).padStart(2, '0')}`).sort());
      // A rep's events carry the rep of the HCP's own territory.
      const [{ wrong, reps }] = (await db.all<{ wrong: number; reps: number }>(
        `SELECT CAST(count(*) FILTER (WHERE e.rep_id <> 'REP-' || h.territory) AS INTEGER) AS wrong, CAST(count(DISTINCT e.rep_id) AS INTEGER) AS reps
         FROM ${file('interactions')} AS e JOIN ${file('hcps')} AS h USING (hcp_id) WHERE e.rep_id IS NOT NULL`,
      )) as [{ wrong: number; reps: number }];
      expect(wrong).toBe(0);
      expect(reps).toBe(400);
    } finally {
      db.close();
    }
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
