import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/engine/duckdb/database.js';
import { parsePeriod } from '../../src/model/period.js';
import { evaluateResults } from '../../src/pipeline/evaluate.js';
import { openSnapshot, snapshotDir } from '../../src/pipeline/snapshot.js';
import { REPO, validateWith } from '../support/demo-project.js';
import { demoSnapshot, removeTempDirs, reseal, tempDir } from '../support/snapshots.js';

// Queries that add up over HCPs run in parts of HCPs when a snapshot is large for the memory
// limit. The parts' rows, added, must be the rows of the query in one piece.
const opened: { close(): void }[] = [];
afterAll(() => {
  opened.forEach((db) => db.close());
  removeTempDirs();
});

describe('evaluating the demo catalog in parts of HCPs', () => {
  const demo = validateWith([]);
  async function evaluate(dir: string, rowsPerPart?: number) {
    const { open } = await openSnapshot(demo, snapshotDir(REPO, dir), rowsPerPart !== undefined ? { rowsPerPart } : {});
    if (!open) throw new Error('the demo snapshot did not load');
    opened.push(open.loaded.db);
    const results = await evaluateResults({ validated: demo, db: open.loaded.db, snapshot: open.meta, period: parsePeriod('2026-10')!, blocked: open.blocked });
    return { text: JSON.stringify(results), inParts: open.loaded.db.runInParts, notes: open.loaded.notes };
  }

  it('gives byte-identical results in 7 parts and in one piece', async () => {
    const dir = await demoSnapshot();
    const whole = await evaluate(dir);
    // 250,936 interactions at 40,000 rows per part: ceil(250,936 / 40,000) = 7 parts.
    const parts = await evaluate(dir, 40_000);
    expect(whole.inParts).toBe(0);
    // Every query marked to add up over HCPs ran in parts: the scans of interactions, rx,
    // recommendations and responses, the engagement index, stages, caps, re-engagement, goals.
    expect(parts.inParts).toBeGreaterThanOrEqual(10);
    // The sample's files are in HCP order: nothing to say.
    expect(parts.notes.filter((n) => n.includes('sorted by'))).toEqual([]);
    expect(parts.text).toBe(whole.text);
  }, 120_000);
});

describe('a large table whose file is not in HCP order', () => {
  it('is evaluated in one piece, with a note naming the table and the column to sort by', async () => {
    const dir = tempDir('kpiops-unordered-');
    cpSync(await demoSnapshot(), dir, { recursive: true });
    const file = join(dir, 'interactions.parquet');
    const db = await Database.open({ threads: 2 });
    try {
      await db.run(`COPY (SELECT * FROM read_parquet('${file}') ORDER BY hash(event_id)) TO '${file}.shuffled' (FORMAT parquet, ROW_GROUP_SIZE 20000)`);
    } finally {
      db.close();
    }
    cpSync(`${file}.shuffled`, file);
    reseal(dir, 'interactions', { sha: true });
    const { open } = await openSnapshot(validateWith([]), snapshotDir(REPO, dir), { rowsPerPart: 40_000 });
    if (!open) throw new Error('the shuffled snapshot did not load');
    opened.push(open.loaded.db);
    expect(open.loaded.notes).toContain('interactions has 250,936 rows, more than the memory limit holds in one piece, and is not a Parquet file sorted by hcp_id: its queries read it whole and may spill to disk. Exported as Parquet sorted by hcp_id, they run in parts that fit in memory (docs/scale.md).');
    await evaluateResults({ validated: validateWith([]), db: open.loaded.db, snapshot: open.meta, period: parsePeriod('2026-10')!, blocked: open.blocked });
    expect(open.loaded.db.runInParts).toBe(0);
  }, 120_000);
});

describe('a query in parts of HCPs', () => {
  // 2,000 HCPs with 10 events each, and 50 events without an HCP; v = i % 7, grp = i % 3.
  const events = `SELECT CASE WHEN i < 20000 THEN 'H' || lpad(CAST(i // 10 AS VARCHAR), 5, '0') END AS hcp, i % 7 AS v, i % 3 AS grp
    FROM range(20050) AS r(i)`;
  const query = `SELECT grp AS "dim:grp", count(*) AS "n", sum(CAST(v AS DECIMAL(18, 3))) AS "s", count(DISTINCT hcp) AS "h"
    FROM events GROUP BY GROUPING SETS ((), (grp))`;
  const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();

  /** A locked database reading `events` (written in `order`) and `hcps` from Parquet, split at 5,000 rows per part. */
  async function open(order: string) {
    const dir = tempDir('kpiops-parts-');
    const db = await Database.open({ threads: 2 });
    opened.push(db);
    const files = new Map([['events', join(dir, 'events.parquet')], ['hcps', join(dir, 'hcps.parquet')]]);
    await db.run(`COPY (SELECT * FROM (${events}) ORDER BY ${order}) TO '${files.get('events')}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    await db.run(`COPY (SELECT DISTINCT hcp FROM (${events}) WHERE hcp IS NOT NULL ORDER BY hcp) TO '${files.get('hcps')}' (FORMAT parquet)`);
    for (const [name, path] of files) await db.viewOfParquet(name, path);
    const unordered = await db.splitByHcp({ entity: { table: 'hcps', key: 'hcp' }, columns: new Map([['events', 'hcp'], ['hcps', 'hcp']]), files }, 5_000);
    await db.lock();
    return { db, unordered };
  }

  it('adds up the parts, rows without an HCP counted once, when the file is in HCP order', async () => {
    const { db, unordered } = await open('hcp NULLS LAST');
    expect(unordered).toBeUndefined();
    const whole = await db.all(query);
    const parts = await db.allByHcp(query, [], ['n', 's', 'h']);
    // ceil(20,050 / 5,000) = 5 parts.
    expect(db.runInParts).toBe(1);
    expect(sorted(parts)).toEqual(sorted(whole));
    // All rows: 20,050 events, 2,000 HCPs (NULL is not counted); grp 0 has i = 0, 3, …, 20,049: 6,684 rows.
    expect(parts.find((r) => r['dim:grp'] === null)).toMatchObject({ n: 20050, h: 2000 });
    expect(parts.find((r) => r['dim:grp'] === 0)).toMatchObject({ n: 6684 });
  });

  it('runs in one piece when the file is in no HCP order: every part would read every row group', async () => {
    const { db, unordered } = await open('hash(v * 7919 + grp), hcp');
    // Said once, for the command to print: which table, and its rows.
    expect(unordered).toEqual({ table: 'events', rows: 20050 });
    const parts = await db.allByHcp(query, [], ['n', 's', 'h']);
    expect(db.runInParts).toBe(0);
    expect(sorted(parts)).toEqual(sorted(await db.all(query)));
  });

  it('narrows the schema in use, such as the rep-facing one, and returns to it', async () => {
    const { db } = await open('hcp');
    await db.run('CREATE SCHEMA snapshot.other');
    await db.run('CREATE VIEW snapshot.other.events AS SELECT * FROM snapshot.main.events WHERE v <> 0');
    await db.run('CREATE VIEW snapshot.other.hcps AS SELECT * FROM snapshot.main.hcps');
    await db.run('USE snapshot.other');
    const parts = await db.allByHcp(query, [], ['n', 's', 'h']);
    expect(db.runInParts).toBe(1);
    expect(sorted(parts)).toEqual(sorted(await db.all(query)));
    // v = 0 for i = 0, 7, …, 20,048: 2,865 of the 20,050 rows left out.
    expect(parts.find((r) => r['dim:grp'] === null)).toMatchObject({ n: 20050 - 2865 });
    expect(await db.all('SELECT current_schema() AS s')).toEqual([{ s: 'other' }]);
  });

  it('leaves the schema in use as it was when a part fails, and runs the next query', async () => {
    const { db } = await open('hcp');
    // Only the part holding H01500 fails.
    await expect(db.allByHcp(`SELECT count(*) AS "n" FROM events WHERE CASE WHEN hcp = 'H01500' THEN error('no such value') ELSE TRUE END`, [], ['n'])).rejects.toThrow('no such value');
    expect(await db.all('SELECT current_schema() AS s')).toEqual([{ s: 'main' }]);
    expect(await db.allByHcp('SELECT count(*) AS "n" FROM events', [], ['n'])).toEqual([{ n: 20050 }]);
  });

  it('refuses a floating-point sum, which would depend on the order of the parts', async () => {
    const { db } = await open('hcp');
    await expect(db.allByHcp('SELECT sum(CAST(v AS DOUBLE)) AS "s" FROM events', [], ['s'])).rejects.toThrow('column s of a query run in parts is DOUBLE, not a count or an exact sum');
  });
});
