import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealCommand, type SealOptions } from '../../src/cli/seal.js';
import { validateCommand } from '../../src/cli/validate.js';
import { Database } from '../../src/engine/duckdb/database.js';
import { SAMPLE_FORMAT } from '../../src/engine/duckdb/sample/generate.js';
import type { SnapshotSpec } from '../../src/spec/snapshot.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';

/** A stream that keeps what is written to it. */
function sink() {
  let text = '';
  return { stream: { write: (s: string) => { text += s; return true; }, isTTY: false } as unknown as NodeJS.WriteStream, text: () => text };
}

/** Runs `kpiops snapshot seal` in this process, as the CLI would. */
async function seal(dir: string, options: Partial<SealOptions> = {}, project = REPO) {
  const out = sink();
  const err = sink();
  const code = await sealCommand(dir, { project, quiet: true, ...options }, { out: out.stream, err: err.stream, env: { NO_COLOR: '1' }, now: () => Date.parse('2026-11-02T08:15:30.750Z') });
  return { code, stdout: out.text(), stderr: err.text() };
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const manifestOf = (dir: string) => parse(readFileSync(join(dir, 'snapshot.yaml'), 'utf8')) as SnapshotSpec;
/** Data lines of a CSV written without quoted line breaks (as the sample is): every line after the header. */
const csvRows = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n').length - 1;

let exported: string;
/** What the files held when they were exported, computed here without kpiops. */
const expected = { interactionsRows: 0, responsesRows: 0, latestInteraction: '' };

/**
 * An export as a team would drop it, without a manifest: interactions as Parquet, responses
 * as JSON (one object a line), the HCP table as a semicolon CSV, the rest as the sample's CSV.
 */
async function exportedSnapshot(): Promise<string> {
  const sample = await smallCsvSample();
  const dir = join(tempDir('kpiops-seal-'), '2026-11');
  cpSync(sample, dir, { recursive: true });
  rmSync(join(dir, 'snapshot.yaml'));
  expected.interactionsRows = csvRows(join(dir, 'interactions.csv'));
  expected.responsesRows = csvRows(join(dir, 'responses.csv'));
  // occurred_at is the 4th column, written `YYYY-MM-DD HH:MM:SS`: its text sorts as its time.
  expected.latestInteraction = readFileSync(join(dir, 'interactions.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',')[3]!).sort().at(-1)!;
  const db = await Database.open({ threads: 1 });
  try {
    for (const [table, format] of [['interactions', 'parquet'], ['responses', 'json']] as const) {
      await db.run(`COPY (SELECT * FROM read_csv('${join(dir, `${table}.csv`)}', header = true, all_varchar = true)) TO '${join(dir, `${table}.${format}`)}' (FORMAT ${format})`);
      rmSync(join(dir, `${table}.csv`));
    }
  } finally {
    db.close();
  }
  const hcps = join(dir, 'hcps.csv');
  writeFileSync(hcps, readFileSync(hcps, 'utf8').replaceAll(',', ';'));
  return dir;
}

/** A copy of the exported snapshot, sealed as of 1 November 2026. */
async function sealedCopy(): Promise<string> {
  const dir = join(tempDir('kpiops-sealed-'), '2026-11');
  cpSync(exported, dir, { recursive: true });
  const run = await seal(dir, { asOf: '2026-11-01' });
  expect(run.code).toBe(0);
  return dir;
}

beforeAll(async () => {
  exported = await exportedSnapshot();
});
afterAll(removeTempDirs);

describe('kpiops snapshot seal', () => {
  it('writes a manifest whose rows, checksums, delimiter and coverage ends are those of the files', async () => {
    const dir = await sealedCopy();
    const m = manifestOf(dir);
    expect(readFileSync(join(dir, 'snapshot.yaml'), 'utf8').split('\n', 1)[0]).toMatch(/^# yaml-language-server: \$schema=.*\/schemas\/snapshot\.schema\.json$/);
    // The folder is 2026-11 and the as_of day 2026-11-01: the id is both.
    expect(m).toMatchObject({ version: 'kpiops/v1', id: '2026-11-2026-11-01', as_of: '2026-11-01T00:00:00Z' });
    expect(Object.keys(m.tables)).toEqual(['hcps', 'interactions', 'responses', 'goals', 'rx', 'recommendations', 'content', 'benchmarks']);
    for (const [table, entry] of Object.entries(m.tables)) expect(entry.sha256, table).toBe(sha(join(dir, entry.file)));
    // The sample has 200 HCPs (one header line + 200 rows); its header holds only `;`.
    expect(m.tables.hcps).toEqual({ file: 'hcps.csv', format: 'csv', delimiter: ';', rows: 200, sha256: sha(join(dir, 'hcps.csv')) });
    expect(m.tables.interactions).toMatchObject({ file: 'interactions.parquet', format: 'parquet', rows: expected.interactionsRows });
    // The latest event is on the sample's last day, 31 October 2026.
    expect(expected.latestInteraction.slice(0, 10)).toBe('2026-10-31');
    expect(m.tables.interactions!.coverage_end).toBe('2026-10-31');
    expect(m.tables.recommendations!.coverage_end).toBe('2026-10-31');
    expect(m.tables.responses).toMatchObject({ file: 'responses.json', format: 'json', rows: expected.responsesRows, coverage_end: '2026-10-31' });
    // Rx is monthly (every month is a 1st) and arrives a month late: its latest month is
    // 2026-09-01, so it covers September to its last day, the 30th.
    expect(readFileSync(join(dir, 'rx.csv'), 'utf8')).toContain(',2026-09-01,');
    expect(readFileSync(join(dir, 'rx.csv'), 'utf8')).not.toContain(',2026-10-01,');
    expect(m.tables.rx).toMatchObject({ file: 'rx.csv', format: 'csv', rows: csvRows(join(dir, 'rx.csv')), coverage_end: '2026-09-30' });
    // Tables without a time column have no coverage end.
    for (const table of ['hcps', 'goals', 'content', 'benchmarks']) expect(m.tables[table]!.coverage_end, table).toBeUndefined();
  });

  it('seals a snapshot that kpiops validate --snapshot then loads with every check passing', async () => {
    const dir = await sealedCopy();
    const out = sink();
    const code = await validateCommand({ project: REPO, snapshot: dir, quiet: true }, { NO_COLOR: '1' }, out.stream, sink().stream);
    expect(out.text()).toContain(`✔ snapshot ${dir}: 8 tables loaded, every load check passed`);
    expect(code).toBe(0);
  });

  it('counts a CSV record whose quoted value spans two lines once, as loading does', async () => {
    const dir = join(tempDir('kpiops-seal-quoted-'), 'snap');
    cpSync(exported, dir, { recursive: true });
    const file = join(dir, 'content.csv');
    const lines = readFileSync(file, 'utf8').split('\n');
    const cells = lines[1]!.split(',');
    cells[2] = '"deck\nversion 2"';
    lines[1] = cells.join(',');
    writeFileSync(file, lines.join('\n'));
    expect((await seal(dir, { asOf: '2026-11-01' })).code).toBe(0);
    // 451 data lines now, but one record spans two of them: the sample's 450 content items.
    expect(csvRows(file)).toBe(451);
    expect(manifestOf(dir).tables.content!.rows).toBe(450);
    const code = await validateCommand({ project: REPO, snapshot: dir, quiet: true }, { NO_COLOR: '1' }, sink().stream, sink().stream);
    expect(code).toBe(0);
  });

  it('writes the same bytes when sealed again, and when sealed afresh with the same as_of', async () => {
    const dir = await sealedCopy();
    const first = readFileSync(join(dir, 'snapshot.yaml'));
    const again = await seal(dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^✔ \S+snapshot\.yaml already current: id 2026-11-2026-11-01, as_of 2026-11-01T00:00:00Z\n/);
    expect(readFileSync(join(dir, 'snapshot.yaml'))).toEqual(first);
    rmSync(join(dir, 'snapshot.yaml'));
    expect((await seal(dir, { asOf: '2026-11-01T00:00:00Z' })).code).toBe(0);
    expect(readFileSync(join(dir, 'snapshot.yaml'))).toEqual(first);
  });

  it('takes as_of from the clock in whole UTC seconds, and keeps the generator block of the manifest there is', async () => {
    const dir = join(tempDir('kpiops-sample-copy-'), 'snap');
    cpSync(await smallCsvSample(), dir, { recursive: true });
    const generated = manifestOf(dir);
    rmSync(join(dir, 'snapshot.yaml'));
    writeFileSync(join(dir, 'snapshot.yaml'), `version: kpiops/v1\nid: mine\nas_of: 2026-11-01T00:00:00Z\ngenerator: {name: kpiops_sample, seed: 7, format: ${SAMPLE_FORMAT}}\ntables:\n  hcps: {file: hcps.csv, format: csv, rows: 1, sha256: ${'a'.repeat(64)}}\n`);
    expect((await seal(dir)).code).toBe(0);
    // Resealing the sample gives back exactly the tables the sample generator wrote.
    expect(manifestOf(dir)).toEqual({ ...generated, id: 'mine' });
    rmSync(join(dir, 'snapshot.yaml'));
    expect((await seal(dir)).code).toBe(0);
    // The clock reads 2026-11-02T08:15:30.750Z: the fraction of a second is dropped.
    expect(manifestOf(dir)).toMatchObject({ id: 'snap-2026-11-02', as_of: '2026-11-02T08:15:30Z' });
    expect(manifestOf(dir).generator).toBeUndefined();
  });

  it('seals a table built from exports, reading each export\'s time through its mapping', async () => {
    const example = join(REPO, 'docs/examples/exports');
    const dir = tempDir('kpiops-seal-exports-');
    cpSync(join(example, 'snapshot'), dir, { recursive: true });
    rmSync(join(dir, 'snapshot.yaml'));
    expect((await seal(dir, { asOf: '2026-10-03' }, example)).code).toBe(0);
    const committed = parse(readFileSync(join(example, 'snapshot/snapshot.yaml'), 'utf8')) as SnapshotSpec;
    const m = manifestOf(dir);
    for (const table of ['hcps', 'crm_calls', 'email_events']) expect({ ...m.tables[table], coverage_start: undefined, coverage_end: undefined }, table).toEqual({ ...committed.tables[table], coverage_start: undefined, coverage_end: undefined });
    // crm_calls dates are `%d/%m/%Y %H:%M`: the latest, 01/10/2026 09:05, is 1 October
    // (read as ISO it would not be a date at all). email_events' latest is e-4, 2026-10-02T10:00:00Z.
    expect(m.tables.crm_calls!.coverage_end).toBe('2026-10-01');
    expect(m.tables.email_events!.coverage_end).toBe('2026-10-02');
    expect(m.tables.hcps!.coverage_end).toBeUndefined();
    // The first rows: crm_calls a0C1 on 30/09/2026 16:45 (day first), email_events e-1 at
    // 2026-09-30T22:10:00Z; a table without a time column (hcps) has no coverage start.
    expect(m.tables.crm_calls!.coverage_start).toBe('2026-09-30');
    expect(m.tables.email_events!.coverage_start).toBe('2026-09-30');
    expect(m.tables.hcps!.coverage_start).toBeUndefined();
    // The committed example is what sealing writes.
    expect(await seal(join(example, 'snapshot'), { check: true }, example)).toMatchObject({ code: 0 });
  });
});

describe('kpiops snapshot seal --check', () => {
  it('exits 0 with one line when the manifest matches the files', async () => {
    const dir = await sealedCopy();
    const run = await seal(dir, { check: true });
    expect(run).toEqual({ code: 0, stdout: `✔ ${dir}/snapshot.yaml matches the 8 tables in ${dir}\n`, stderr: '' });
  });

  it('names the rows and the checksum of a table a row was appended to, and writes nothing', async () => {
    const dir = await sealedCopy();
    const before = readFileSync(join(dir, 'snapshot.yaml'));
    const rows = manifestOf(dir).tables.rx!.rows;
    appendFileSync(join(dir, 'rx.csv'), 'H0000000,cardiora,2026-09-01,1,2,3\n');
    const run = await seal(dir, { check: true });
    expect(run.code).toBe(1);
    // One line appended: one row more than sealed.
    expect(run.stdout).toContain(`  rx      error  rx: rows ${rows} in the manifest, ${rows + 1} in rx.csv.  snapshot/rows-differ\n`);
    expect(run.stdout).toMatch(/ rx: sha256 differs: [0-9a-f]{12}… in the manifest, [0-9a-f]{12}… for rx\.csv\.  snapshot\/checksum-differs\n/);
    expect(run.stdout).toContain('✖ 2 errors, 0 warnings');
    expect(readFileSync(join(dir, 'snapshot.yaml'))).toEqual(before);
  });

  it('names a missing file and a file no table claims', async () => {
    const dir = await sealedCopy();
    rmSync(join(dir, 'goals.csv'));
    writeFileSync(join(dir, 'notes.txt'), 'exported on Monday\n');
    const run = await seal(dir, { check: true, format: 'json' });
    expect(run.code).toBe(1);
    const { matches, diagnostics } = JSON.parse(run.stdout) as { matches: boolean; diagnostics: Array<{ code: string; file: string; message: string }> };
    expect(matches).toBe(false);
    expect(diagnostics.map((d) => [d.code, d.file.slice(dir.length + 1), d.message])).toEqual([
      ['snapshot/missing-file', 'goals.csv', 'Table goals: its file goals.csv is not in the snapshot.'],
      ['snapshot/unclaimed-file', 'notes.txt', 'notes.txt is a file no table claims: no source or export of kpiops.yaml is read from it, so it is not in the manifest.'],
    ]);
  });

  it('compares coverage_end unless asked to keep the manifest\'s, and names tables the manifest lacks or the project does not read', async () => {
    const dir = await sealedCopy();
    const path = join(dir, 'snapshot.yaml');
    // A coverage end set by hand (the last days' events still arriving), a table dropped, one the project does not have.
    const text = readFileSync(path, 'utf8').replace('coverage_end: 2026-10-31}', 'coverage_end: 2026-10-15}').replace(/^  goals: .*\n/m, '') + `  notes: { file: notes.csv, format: csv, rows: 1, sha256: ${'b'.repeat(64)} }\n`;
    writeFileSync(path, text);
    writeFileSync(join(dir, 'notes.csv'), 'a\n1\n');
    const run = await seal(dir, { check: true });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('interactions: coverage_end 2026-10-15 in the manifest, 2026-10-31 from interactions.parquet.  snapshot/field-differs');
    expect(run.stdout).toContain('goals: not in the manifest, though kpiops.yaml reads it and goals.csv is there; run `kpiops snapshot seal` to add it.  snapshot/unsealed-table');
    expect(run.stdout).toContain("The snapshot's table notes is not a source or export of kpiops.yaml; it is not loaded.  snapshot/unknown-table");
    // notes.csv is reported once, as the manifest's table notes, not again as a file no table claims.
    expect(run.stdout).toContain('✖ 2 errors, 1 warning');
    const kept = await seal(dir, { check: true, keepCoverage: true });
    expect(kept.stdout).not.toContain('coverage_end');
    expect((await seal(dir, { keepCoverage: true })).code).toBe(0);
    expect(manifestOf(dir).tables.interactions!.coverage_end).toBe('2026-10-15');
    expect(manifestOf(dir).tables.notes).toBeUndefined();
    expect((await seal(dir)).stdout).toContain('notes.csv is a file no table claims');
    expect(manifestOf(dir).tables.interactions!.coverage_end).toBe('2026-10-31');
  });

  it('compares coverage_start, and keeps a stated one with --keep-coverage', async () => {
    const dir = await sealedCopy();
    const path = join(dir, 'snapshot.yaml');
    const sealed = manifestOf(dir).tables.interactions!;
    // The sample generates whole months from July 2026: its first interaction is on 1 July.
    expect(sealed.coverage_start).toBe('2026-07-01');
    // A start stated by hand: the data is complete from 1 June (nothing happened in June).
    writeFileSync(path, readFileSync(path, 'utf8').replace('coverage_start: 2026-07-01, coverage_end: 2026-10-31}', 'coverage_start: 2026-06-01, coverage_end: 2026-10-31}'));
    const run = await seal(dir, { check: true });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('interactions: coverage_start 2026-06-01 in the manifest, 2026-07-01 from interactions.parquet.  snapshot/field-differs');
    expect((await seal(dir, { check: true, keepCoverage: true })).code).toBe(0);
    expect((await seal(dir, { keepCoverage: true })).code).toBe(0);
    expect(manifestOf(dir).tables.interactions!.coverage_start).toBe('2026-06-01');
    expect((await seal(dir)).code).toBe(0);
    expect(manifestOf(dir).tables.interactions!.coverage_start).toBe('2026-07-01');
  });

  it('is wired into the kpiops command line with its exit code', async () => {
    const dir = await sealedCopy();
    appendFileSync(join(dir, 'hcps.csv'), 'H9;x;growth;1;t;r;DE;true;false;false;Dr. Nine\n');
    const run = await kpiops(['snapshot', 'seal', dir, '--check', '-p', REPO]);
    expect(run.stdout).toContain('hcps: rows 200 in the manifest, 201 in hcps.csv.');
    expect(run.code).toBe(1);
  });
});

describe('kpiops snapshot seal refuses what it cannot seal', () => {
  /** A copy of the exported snapshot with one change, sealed: the exit code and what it printed. */
  async function sealBroken(change: (dir: string) => void, options: Partial<SealOptions> = {}) {
    const dir = join(tempDir('kpiops-seal-broken-'), 'snap');
    cpSync(exported, dir, { recursive: true });
    change(dir);
    // `asOf: undefined` leaves the as_of to the command (as --check must).
    const { asOf, ...rest } = 'asOf' in options ? options : { ...options, asOf: '2026-11-01' };
    return { dir, ...(await seal(dir, { ...(asOf !== undefined ? { asOf } : {}), ...rest })) };
  }

  it('refuses a table file that is a link to a file outside the snapshot', async () => {
    const outside = join(tempDir('kpiops-outside-'), 'content.csv');
    cpSync(join(exported, 'content.csv'), outside);
    const run = await sealBroken((dir) => { rmSync(join(dir, 'content.csv')); symlinkSync(outside, join(dir, 'content.csv')); });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`  content error  This is a link to ${outside}, which is outside the snapshot directory; kpiops reads only what is inside the snapshot directory, so it is not read.  file/link-outside`);
    expect(() => readFileSync(join(run.dir, 'snapshot.yaml'))).toThrow(/ENOENT/);
  });

  it('refuses a manifest that is a link outside the snapshot, and does not write through it', async () => {
    const outside = join(tempDir('kpiops-outside-'), 'snapshot.yaml');
    writeFileSync(outside, 'kept as it is\n');
    const run = await sealBroken((dir) => symlinkSync(outside, join(dir, 'snapshot.yaml')));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`This is a link to ${outside}, which is outside the snapshot directory`);
    expect(readFileSync(outside, 'utf8')).toBe('kept as it is\n');
  });

  it('says there is nothing to check in a folder without a manifest', async () => {
    const run = await sealBroken(() => {}, { check: true, asOf: undefined });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('No snapshot.yaml in');
    expect(run.stdout).toContain('snapshot/missing-manifest');
  });

  it.each([
    ['a table without a file', (dir: string) => rmSync(join(dir, 'goals.csv')),
      'goals: no file for it in DIR; looked for goals.parquet, goals.csv, goals.tsv, goals.json, goals.jsonl. Export it under one of these names, or name its file in snapshot.yaml (`file:`).  snapshot/no-file'],
    ['a table with two files', (dir: string) => cpSync(join(dir, 'goals.csv'), join(dir, 'goals.jsonl')),
      'goals: DIR holds several files that could be it (goals.csv, goals.jsonl); keep one, or name the one to use in snapshot.yaml (`file:`).  snapshot/several-files'],
    ['a CSV header holding two delimiters', (dir: string) => writeFileSync(join(dir, 'content.csv'), 'content_id;brand,type\n'),
      'content: the header line of content.csv holds "," and ";", so the delimiter cannot be told; set `delimiter` for content in snapshot.yaml.  snapshot/ambiguous-delimiter'],
  ])('names %s', async (_name, change, message) => {
    const run = await sealBroken(change);
    expect(run.code).toBe(1);
    expect(run.stdout.replaceAll(run.dir, 'DIR')).toContain(message);
    expect(() => readFileSync(join(run.dir, 'snapshot.yaml'))).toThrow(/ENOENT/);
  });

  it('names a table whose file lacks its time column, as loading would', async () => {
    const run = await sealBroken((dir) => writeFileSync(join(dir, 'rx.csv'), 'hcp_id,brand,period,nrx,trx,market_trx\nH1,cardiora,2026-09-01,1,2,3\n'));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('  rx.month error  Table rx has no column month.  data/missing-column');
  });

  it('refuses an as_of earlier than the latest row, naming the table, file and time', async () => {
    const run = await sealBroken(() => {}, { asOf: '2026-10-31T12:00:00Z' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`interactions: interactions.parquet has occurred_at values up to ${expected.latestInteraction}, after the as_of 2026-10-31T12:00:00Z; a snapshot cannot hold data from after it was taken. Give a later --as-of.  snapshot/as-of-too-early`);
  });

  it.each([
    [['--as-of', 'yesterday'], 'kpiops: --as-of must be a UTC date or time such as 2026-11-01 or 2026-11-01T06:00:00Z (got "yesterday")\n'],
    [['--as-of', '2026-02-30'], 'kpiops: --as-of must be a UTC date or time such as 2026-11-01 or 2026-11-01T06:00:00Z (got "2026-02-30")\n'],
    [['--check', '--id', 'x'], 'kpiops: --check verifies the manifest as it is; --as-of and --id are for sealing\n'],
    [['--id', ''], 'kpiops: --id must be a non-empty name on one line\n'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const options = args[0] === '--check' ? { check: true, id: 'x' } : args[0] === '--id' ? { id: args[1]! } : { asOf: args[1]! };
    const run = await seal(exported, options);
    expect(run).toEqual({ code: 2, stdout: '', stderr: message });
  });
});
