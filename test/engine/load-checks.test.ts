import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { validateWith } from '../support/demo-project.js';
import { editedCopy, load, readManifest, removeTempDirs, rewrittenCopy, setCell, smallCsvSample, tempDir, writeManifest } from '../support/snapshots.js';
import { cpSync, utimesSync, writeFileSync } from 'node:fs';

const demo = validateWith([]);
let sample: string;

beforeAll(async () => {
  sample = await smallCsvSample();
});
afterAll(removeTempDirs);

const errors = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.table, d.column]);

async function check(dir: string) {
  const loaded = await load(demo, dir);
  try {
    return { errors: errors(loaded.diagnostics), all: loaded.diagnostics, failed: [...loaded.failed], tables: [...loaded.tables.keys()] };
  } finally {
    loaded.db.close();
  }
}

describe('a generated sample', () => {
  it('passes every load check and loads all eight tables', async () => {
    const result = await check(sample);
    expect(result.all).toEqual([]);
    expect(result.tables.sort()).toEqual(['benchmarks', 'content', 'goals', 'hcps', 'interactions', 'recommendations', 'responses', 'rx']);
  });
});

describe('each load check names the table, the column and a sample row', () => {
  const firstEvent = (csv: string) => csv.split('\n')[1]!;
  it.each([
    ['a value that is not a number', 'hcps', (csv: string) => setCell(csv, 'decile', 'ten'), ['data/mistyped', 'hcps', 'decile']],
    ['a fractional value in an integer column (never rounded)', 'hcps', (csv: string) => setCell(csv, 'decile', '7.5'), ['data/mistyped', 'hcps', 'decile']],
    ['an unreadable timestamp', 'interactions', (csv: string) => setCell(csv, 'occurred_at', '31/02/2026'), ['data/mistyped', 'interactions', 'occurred_at']],
    ['a row without its key', 'interactions', (csv: string) => setCell(csv, 'event_id', ''), ['data/null-key', 'interactions', 'event_id']],
    ['a repeated key', 'interactions', (csv: string) => `${csv.trimEnd()}\n${firstEvent(csv)}\n`, ['data/duplicate-key', 'interactions', 'event_id']],
    ['an event after the snapshot\'s as_of', 'interactions', (csv: string) => setCell(csv, 'occurred_at', '2030-01-01 00:00:00'), ['data/after-as-of', 'interactions', 'occurred_at']],
    ['a channel with no file in channels/', 'interactions', (csv: string) => setCell(csv, 'channel', 'fax'), ['data/unknown-channel', 'interactions', 'channel']],
    ['a suggestion proposing a channel with no file in channels/', 'recommendations', (csv: string) => setCell(csv, 'channel', 'fax'), ['data/unknown-channel', 'recommendations', 'channel']],
    ['a suggestion outcome outside the four declared', 'recommendations', (csv: string) => setCell(csv, 'outcome', 'snoozed'), ['data/unknown-value', 'recommendations', 'outcome']],
    ['an event the project does not declare', 'interactions', (csv: string) => setCell(csv, 'event', 'liked'), ['data/unknown-value', 'interactions', 'event']],
    ['an NPS answer of 11', 'responses', (csv: string) => {
      const lines = csv.split('\n');
      const row = lines.findIndex((l) => l.includes(',nps,'));
      return setCell(csv, 'score', '11.0', row);
    }, ['data/out-of-scale', 'responses', 'score']],
    ['a goal period that ends before it starts', 'goals', (csv: string) => setCell(csv, 'period_end', '2020-01-01'), ['data/reversed-period', 'goals', 'period_end']],
    ['a table with no rows (it covers no period)', 'interactions', (csv: string) => `${csv.split('\n')[0]}\n`, ['data/empty-table', 'interactions', undefined]],
    ['a missing column', 'hcps', (csv: string) => csv.split('\n').map((l) => l.split(',').slice(0, -1).join(',')).join('\n'), ['data/missing-column', 'hcps', 'name']],
  ] as const)('%s', async (_name, table, edit, expected) => {
    const result = await check(editedCopy(sample, table, edit));
    expect(result.errors).toEqual([expected]);
    expect(result.failed).toEqual([table]);
    const blocked = result.all.find((d) => d.code === 'snapshot/blocked-kpis');
    expect(blocked?.table).toBe(table);
    const withRow = result.all.find((d) => d.code === expected[0]);
    expect(withRow?.message).toContain(table);
  });

  it('a file changed after the snapshot was taken fails its checksum', async () => {
    const dir = editedCopy(sample, 'content', (csv) => csv.replace('email', 'website'), { sha: false, rows: false });
    expect((await check(dir)).errors).toEqual([['snapshot/checksum', 'content', undefined]]);
  });

  it('a file with fewer rows than the manifest says fails the row count', async () => {
    const dir = editedCopy(sample, 'content', (csv) => `${csv.trimEnd().split('\n').slice(0, -1).join('\n')}\n`, { sha: true, rows: false });
    expect((await check(dir)).errors).toEqual([['snapshot/row-count', 'content', undefined]]);
  });

  it('a file the manifest lists but the directory lacks is reported', async () => {
    const dir = tempDir('kpiops-broken-');
    cpSync(sample, dir, { recursive: true });
    rmSync(join(dir, 'benchmarks.csv'));
    const result = await check(dir);
    expect(result.errors).toEqual([['snapshot/missing-file', 'benchmarks', undefined]]);
    expect(result.all.find((d) => d.code === 'snapshot/blocked-kpis')?.message).toBe('Because table benchmarks failed its checks, this KPI is not computed: nps_gap_to_leader.');
  });

  it('a source the snapshot does not have is reported with the KPI that reads it', async () => {
    const dir = tempDir('kpiops-broken-');
    cpSync(sample, dir, { recursive: true });
    const manifest = readManifest(dir);
    delete manifest.tables.benchmarks;
    writeManifest(dir, manifest);
    const result = await check(dir);
    expect(result.errors).toEqual([['snapshot/table-needed', 'benchmarks', undefined]]);
    expect(result.all.find((d) => d.code === 'snapshot/table-needed')?.message).toContain('which KPI nps_gap_to_leader (its source) reads.');
  });

  it('a file that is not in its declared format is unreadable', async () => {
    const dir = tempDir('kpiops-broken-');
    cpSync(sample, dir, { recursive: true });
    writeFileSync(join(dir, 'content.csv'), 'not,a,parquet\n');
    const manifest = readManifest(dir);
    manifest.tables.content = { ...manifest.tables.content!, format: 'parquet' };
    writeManifest(dir, manifest);
    const { reseal } = await import('../support/snapshots.js');
    reseal(dir, 'content', { sha: true, rows: false });
    expect((await check(dir)).errors).toEqual([['snapshot/unreadable-table', 'content', undefined]]);
  });
});

// The content table as a Parquet file of the declared types (read in place, no value to convert).
const TYPED_CONTENT = 'SELECT * REPLACE (CAST(approved_at AS TIMESTAMP) AS approved_at, CAST(expires_at AS TIMESTAMP) AS expires_at) FROM t';

describe('after loading', () => {
  it('a table that failed is absent, so nothing can read it', async () => {
    const loaded = await load(demo, editedCopy(sample, 'hcps', (csv) => setCell(csv, 'decile', 'ten')));
    try {
      await expect(loaded.db.all('SELECT count(*) FROM hcps')).rejects.toThrow(/hcps/);
      expect(await loaded.db.all('SELECT count(*) AS n FROM content')).toEqual([{ n: 450 }]);
    } finally {
      loaded.db.close();
    }
  });

  it('a Parquet table is read in place: it stays readable once locked, and no other file does', async () => {
    const dir = await rewrittenCopy(sample, 'content', 'parquet', TYPED_CONTENT);
    cpSync(join(dir, 'content.parquet'), join(dir, 'other.parquet'));
    const loaded = await load(demo, dir);
    try {
      expect(loaded.diagnostics).toEqual([]);
      // A view over the file, not a copy of its rows.
      expect(await loaded.db.all("SELECT view_name FROM duckdb_views() WHERE NOT internal AND view_name = 'content'")).toEqual([{ view_name: 'content' }]);
      expect(await loaded.db.all('SELECT count(*) AS n FROM content')).toEqual([{ n: 450 }]);
      await expect(loaded.db.all('SELECT count(*) FROM read_parquet($1)', [join(dir, 'other.parquet')])).rejects.toThrow(/disabled|external|access/i);
      await expect(loaded.db.run("SET allowed_paths = ['/etc/passwd']")).rejects.toThrow(/lock|config/i);
    } finally {
      loaded.db.close();
    }
  });

  it('a Parquet file rewritten after its checksum was checked stops the next query, naming the file', async () => {
    const dir = await rewrittenCopy(sample, 'content', 'parquet', TYPED_CONTENT);
    const loaded = await load(demo, dir);
    try {
      expect(await loaded.db.all('SELECT count(*) AS n FROM content')).toEqual([{ n: 450 }]);
      utimesSync(join(dir, 'content.parquet'), new Date(), new Date(Date.now() + 60_000));
      await expect(loaded.db.all('SELECT count(*) AS n FROM content')).rejects.toThrow(`the snapshot file ${join(dir, 'content.parquet')} changed while kpiops was reading it`);
    } finally {
      loaded.db.close();
    }
  });

  it('DuckDB refuses to read files and to unlock itself', async () => {
    const loaded = await load(demo, sample);
    try {
      await expect(loaded.db.all('SELECT * FROM read_csv($1)', [join(sample, 'hcps.csv')])).rejects.toThrow(/disabled|external/i);
      await expect(loaded.db.run('SET enable_external_access = true')).rejects.toThrow(/lock|config/i);
    } finally {
      loaded.db.close();
    }
  });
});

describe('values that must never load silently changed', () => {
  it.each([
    ['a timestamp in a named time zone (which DuckDB would let leak into later rows)', 'interactions', 'occurred_at', '2026-08-11 15:01:55 Asia/Tokyo'],
    ['a number written as NaN', 'goals', 'goal_points', 'NaN'],
    ['an integer with an underscore', 'hcps', 'decile', '1_0'],
    ['a date with a time of day', 'goals', 'period_start', '2026-10-01 13:45:00'],
    ['a boolean written as "yes"', 'hcps', 'target', 'yes'],
    ['an infinite timestamp', 'interactions', 'occurred_at', 'infinity'],
  ])('%s is mistyped', async (_name, table, column, value) => {
    const result = await check(editedCopy(sample, table, (csv) => setCell(csv, column, value)));
    expect(result.errors).toEqual([['data/mistyped', table, column]]);
  });

  it('a timestamp with a numeric offset is converted to UTC, and the other rows are untouched', async () => {
    const dir = editedCopy(sample, 'interactions', (csv) => setCell(setCell(csv, 'occurred_at', '2026-08-11 15:00:00+09:00'), 'occurred_at', '2026-08-11 15:00:00', 2));
    const loaded = await load(demo, dir);
    try {
      expect(loaded.diagnostics).toEqual([]);
      const rows = await loaded.db.all("SELECT strftime(occurred_at, '%Y-%m-%d %H:%M:%S') AS t FROM interactions ORDER BY event_id LIMIT 2");
      expect(rows).toEqual([{ t: '2026-08-11 06:00:00' }, { t: '2026-08-11 15:00:00' }]);
    } finally {
      loaded.db.close();
    }
  });

  it('a snapshot folder whose path has a wildcard is refused, not globbed', async () => {
    const parent = tempDir('kpiops-glob-');
    const dir = join(parent, 'snap[1]');
    cpSync(sample, dir, { recursive: true });
    const result = await check(dir);
    expect(result.errors).toContainEqual(['snapshot/unreadable-table', 'hcps', undefined]);
    expect(result.tables).toEqual([]);
  });

  it('a table "file" that is a folder is unreadable, not an internal error', async () => {
    const dir = tempDir('kpiops-broken-');
    cpSync(sample, dir, { recursive: true });
    rmSync(join(dir, 'content.csv'));
    cpSync(join(dir, 'snapshot.yaml'), join(dir, 'content.csv', 'x.yaml'), { recursive: true });
    expect((await check(dir)).errors).toEqual([['snapshot/unreadable-table', 'content', undefined]]);
  });
});

describe('references to rows another table does not have', () => {
  it('are a warning with the row count, the distinct values and a sample row; the table still loads', async () => {
    // Rows 1 and 2 name one HCP the hcps table lacks; row 3 a content item the content table lacks.
    const dir = editedCopy(sample, 'interactions', (csv) => setCell(setCell(setCell(csv, 'hcp_id', 'H9999999', 1), 'hcp_id', 'H9999999', 2), 'content_id', 'NOPE-0001', 3));
    const result = await check(dir);
    expect(result.errors).toEqual([]);
    expect(result.tables).toContain('interactions');
    const found = result.all.filter((d) => d.code === 'data/unknown-reference');
    expect(found.map((d) => [d.severity, d.table, d.column])).toEqual([['warning', 'interactions', 'hcp_id'], ['warning', 'interactions', 'content_id']]);
    expect(found[0]!.message).toBe('Table interactions, column hcp_id: 2 rows hold a value that table hcps does not have as its hcp_id, e.g. "H9999999". They are kept and count in totals, but the columns of hcps are empty for them (a null slice).');
    expect(found[0]!.row).toMatchObject({ hcp_id: 'H9999999' });
    expect(found[1]!.message).toContain('1 row holds a value that table content does not have as its content_id, e.g. "NOPE-0001"');
  });

  it('distinct missing values are counted apart from rows', async () => {
    const dir = editedCopy(sample, 'goals', (csv) => setCell(setCell(csv, 'hcp_id', 'H9999998', 1), 'hcp_id', 'H9999999', 2));
    const found = (await check(dir)).all.filter((d) => d.code === 'data/unknown-reference');
    expect(found.map((d) => d.message.split(':')[1])).toEqual([' 2 rows hold 2 values that table hcps does not have as its hcp_id, e.g. "H9999998". They are kept and count in totals, but the columns of hcps are empty for them (a null slice).']);
  });
});

describe('numbers that are not finite fail the load, whatever the file format', () => {
  // The first goal by key (H0000000, cardiora, 2026-07-01) gets the bad value; with it, goal attainment would move or lose a goal.
  const firstGoal = (value: string) => `SELECT * REPLACE (CASE WHEN hcp_id = 'H0000000' AND brand = 'cardiora' AND period_start = '2026-07-01' THEN ${value} ELSE CAST(goal_points AS DOUBLE) END AS goal_points) FROM t`;
  it.each([
    ['NaN in a Parquet DOUBLE column', 'goals', 'parquet', firstGoal("'NaN'::DOUBLE"), 'nan'],
    ['−Infinity in a Parquet DOUBLE column', 'goals', 'parquet', firstGoal("'-Infinity'::DOUBLE"), '-inf'],
    ['+Infinity in a Parquet DOUBLE column of benchmarks', 'benchmarks', 'parquet', "SELECT * REPLACE (CASE WHEN company <> 'ours' THEN 'Infinity'::DOUBLE ELSE CAST(value AS DOUBLE) END AS value) FROM t", 'inf'],
    ['a JSON number too large for a double (-1e999, read as −Infinity)', 'goals', 'json', `SELECT * REPLACE (CASE WHEN hcp_id = 'H0000000' AND brand = 'cardiora' AND period_start = '2026-07-01' THEN '-1e999' ELSE goal_points END AS goal_points) FROM t`, '-inf'],
  ] as const)('%s is named with its table, column and a sample row', async (_name, table, format, sql, shown) => {
    const result = await check(await rewrittenCopy(sample, table, format, sql));
    const column = table === 'goals' ? 'goal_points' : 'value';
    expect(result.errors).toEqual([['data/non-finite', table, column]]);
    expect(result.failed).toEqual([table]);
    const found = result.all.find((d) => d.code === 'data/non-finite')!;
    expect(found.message).toContain(`e.g. ${shown}`);
    expect(found.row?.[column]).toBe(shown);
    if (table === 'goals') expect(found.row).toMatchObject({ hcp_id: 'H0000000', brand: 'cardiora', period_start: '2026-07-01' });
  });

  it('a CSV value of 1e999 (read as +Infinity) is named too', async () => {
    const result = await check(editedCopy(sample, 'goals', (csv) => setCell(csv, 'goal_points', '1e999')));
    expect(result.errors).toEqual([['data/non-finite', 'goals', 'goal_points']]);
    expect(result.all.find((d) => d.code === 'data/non-finite')?.row).toMatchObject({ hcp_id: 'H0000000', goal_points: 'inf' });
  });
});

describe('CSV files read with a fixed dialect', () => {
  it('a row with a missing field makes the table unreadable, not a one-column table', async () => {
    const dir = editedCopy(sample, 'hcps', (csv) => csv.split('\n').map((l, i) => (i === 3 ? l.split(',').slice(0, -1).join(',') : l)).join('\n'));
    expect((await check(dir)).errors).toEqual([['snapshot/unreadable-table', 'hcps', undefined]]);
  });

  it('a header naming a column twice is refused', async () => {
    const dir = editedCopy(sample, 'hcps', (csv) => csv.split('\n').map((l, i) => (l ? `${l},${i === 0 ? 'COUNTRY' : 'XX'}` : l)).join('\n'));
    expect((await check(dir)).errors).toEqual([['data/duplicate-column', 'hcps', 'country']]);
  });

  it('a semicolon-separated file loads when the manifest says so', async () => {
    const dir = editedCopy(sample, 'content', (csv) => csv.replaceAll(',', ';'));
    const manifest = readManifest(dir);
    manifest.tables.content = { ...manifest.tables.content!, delimiter: ';' };
    writeManifest(dir, manifest);
    const result = await check(dir);
    expect(result.all).toEqual([]);
  });
});
