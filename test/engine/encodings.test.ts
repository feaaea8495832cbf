import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/engine/duckdb/database.js';
import { validateProject } from '../../src/validate/project.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { load, readManifest, removeTempDirs, reseal, tempDir, writeManifest } from '../support/snapshots.js';

/**
 * A survey export saved from Excel on Windows (Windows-1252: “ ” – € … are single bytes in
 * 0x80–0x9F) and an HCP list from a CRM that writes Latin-1 (ISO-8859-1), with `NA` scores.
 */
const FIXTURE = join(REPO, 'test/fixtures/exports/latin1-survey');
afterAll(removeTempDirs);

/** A copy of the fixture with kpiops.yaml edited and, optionally, one table file replaced. */
function variant(edit: (yaml: string) => string, file?: { table: string; bytes: Buffer }): string {
  const dir = tempDir('kpiops-encoding-');
  cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(join(dir, 'kpiops.yaml'), edit(readFileSync(join(dir, 'kpiops.yaml'), 'utf8')));
  if (file) {
    writeFileSync(join(dir, 'snapshot', `${file.table}.csv`), file.bytes);
    reseal(join(dir, 'snapshot'), file.table, { sha: true });
  }
  return dir;
}

const HCPS = 'hcp_id,name,country\nH1,Müller,DE\nH2,Señora Núñez,ES\nH3,François Lefèvre,FR\nH4,Åsa Ødegård,SE\n';
const utf16 = (text: string, order: 'le' | 'be') => {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  return order === 'le' ? le : le.swap16();
};

async function loaded(dir: string) {
  const project = await validateProject(dir);
  expect(project.diagnostics).toEqual([]);
  return load(project, join(dir, 'snapshot'));
}

const errors = (diagnostics: readonly { severity: string; code: string; table?: string; message: string }[]) =>
  diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.table, d.message]);

describe('table files in Latin-1, Windows-1252 and UTF-16', () => {
  it('loads the Latin-1 HCP list and the Windows-1252 survey export with every name and comment exact', async () => {
    const snapshot = await loaded(FIXTURE);
    try {
      expect(snapshot.diagnostics).toEqual([]);
      expect(await snapshot.db.all('SELECT hcp_id, name FROM hcps ORDER BY hcp_id')).toEqual([
        { hcp_id: 'H1', name: 'Müller' },
        { hcp_id: 'H2', name: 'Señora Núñez' },
        { hcp_id: 'H3', name: 'François Lefèvre' },
        { hcp_id: 'H4', name: 'Åsa Ødegård' },
      ]);
      // 0x93 0x94 0x96 0x80 0x85 are “ ” – € … in Windows-1252; NA is read as no value (null_values).
      expect(await snapshot.db.all("SELECT response_id, score, comment FROM responses WHERE comment IS NOT NULL OR score IS NULL ORDER BY response_id")).toEqual([
        { response_id: 'R1', score: 10, comment: '“Sehr gut” – Müller' },
        { response_id: 'R2', score: 9, comment: 'Señora: 50 € Rabatt' },
        { response_id: 'R3', score: 6, comment: 'Trop cher…' },
        { response_id: 'R4', score: null, comment: null },
        { response_id: 'R5', score: 8, comment: 'Gut' },
        { response_id: 'R7', score: null, comment: 'k. A.' },
        { response_id: 'R9', score: 5, comment: 'Ødegård' },
      ]);
    } finally {
      snapshot.db.close();
    }
  });

  it('evaluates NPS and the mean effort score of October 2026 from the converted export', async () => {
    const run = await kpiops(['eval', '--project', FIXTURE, '--snapshot', join(FIXTURE, 'snapshot'), '--period', '2026-10', '-q']);
    expect(run.code).toBe(0);
    const values = Object.fromEntries((JSON.parse(run.stdout) as { kpis: Array<{ id: string; slices: Array<{ value: number | null }> }> }).kpis.map((k) => [k.id, k.slices[0]!.value]));
    // NPS answers 10, 9, 6, NA, 8: NA is no answer, so n = 4; promoters (9–10) 2, detractors (0–6) 1:
    // (2 − 1) / 4 × 100 = 25. Effort answers 6, NA, 4, 5: (6 + 4 + 5) / 3 = 5.
    expect(values).toEqual({ nps: 25, effort: 5 });
  });

  it('seals the fixture with the encodings of kpiops.yaml: its manifest matches the files', async () => {
    const run = await kpiops(['snapshot', 'seal', join(FIXTURE, 'snapshot'), '--project', FIXTURE, '--check']);
    expect(run.stdout).toContain('matches the 2 tables');
    expect(run.code).toBe(0);
  });

  it('reads a UTF-16 file in either byte order from its byte-order mark', async () => {
    for (const order of ['le', 'be'] as const) {
      const snapshot = await loaded(variant((y) => y.replace('encoding: latin-1', 'encoding: utf-16'), { table: 'hcps', bytes: utf16(HCPS, order) }));
      try {
        expect(snapshot.diagnostics).toEqual([]);
        expect((await snapshot.db.all<{ name: string }>('SELECT name FROM hcps ORDER BY hcp_id')).map((r) => r.name)).toEqual(['Müller', 'Señora Núñez', 'François Lefèvre', 'Åsa Ødegård']);
      } finally {
        snapshot.db.close();
      }
    }
  });

  it('seals a UTF-16 tab-separated file with the delimiter of its header and the rows loading counts', async () => {
    const dir = variant((y) => y.replace('encoding: latin-1', 'encoding: utf-16'), { table: 'hcps', bytes: utf16(HCPS.replaceAll(',', '\t'), 'le') });
    rmSync(join(dir, 'snapshot', 'snapshot.yaml'));
    const run = await kpiops(['snapshot', 'seal', join(dir, 'snapshot'), '--project', dir, '--as-of', '2026-11-01']);
    expect(run.code).toBe(0);
    // Four HCP lines after the header; DuckDB alone would read this file, sealed as UTF-8, as no rows or fail.
    expect(readManifest(join(dir, 'snapshot')).tables.hcps).toMatchObject({ format: 'csv', delimiter: '\t', rows: 4 });
  });

  it('reads a Latin-1 JSON file (one object a line) with the names exact', async () => {
    const dir = variant((y) => y);
    const snapshotDir = join(dir, 'snapshot');
    rmSync(join(snapshotDir, 'hcps.csv'));
    const objects = HCPS.trimEnd().split('\n').slice(1).map((l) => l.split(',')).map(([hcp_id, name, country]) => JSON.stringify({ hcp_id, name, country }));
    writeFileSync(join(snapshotDir, 'hcps.jsonl'), Buffer.from(`${objects.join('\n')}\n`, 'latin1'));
    rmSync(join(snapshotDir, 'snapshot.yaml'));
    expect((await kpiops(['snapshot', 'seal', snapshotDir, '--project', dir, '--as-of', '2026-11-01'])).code).toBe(0);
    const snapshot = await loaded(dir);
    try {
      expect(snapshot.diagnostics).toEqual([]);
      expect((await snapshot.db.all<{ name: string }>('SELECT name FROM hcps ORDER BY hcp_id')).map((r) => r.name)).toEqual(['Müller', 'Señora Núñez', 'François Lefèvre', 'Åsa Ødegård']);
    } finally {
      snapshot.db.close();
    }
  });

  it('refuses a UTF-16 file without a byte-order mark rather than guess its byte order', async () => {
    const snapshot = await loaded(variant((y) => y.replace('encoding: latin-1', 'encoding: utf-16'), { table: 'hcps', bytes: Buffer.from(HCPS, 'utf16le') }));
    try {
      expect(errors(snapshot.diagnostics)[0]).toEqual(['data/invalid-encoding', 'hcps',
        'Table hcps: line 1 of the file holds the bytes 0x68 0x00, which are not valid UTF-16; nothing of the table is loaded. A UTF-16 file must start with a byte-order mark (0xFF 0xFE or 0xFE 0xFF), which says its byte order; export it again with one, or set the encoding the file is in.']);
    } finally {
      snapshot.db.close();
    }
  });

  it('a Latin-1 file read as UTF-8 (no encoding set) is an error naming the line and byte, suggesting latin-1', async () => {
    const snapshot = await loaded(variant((y) => y.replace('    encoding: latin-1\n', '')));
    try {
      expect(errors(snapshot.diagnostics)[0]).toEqual(['data/invalid-encoding', 'hcps',
        'Table hcps: line 2 of the file holds the bytes 0xFC, which are not valid UTF-8 (the encoding a file is read in when kpiops.yaml sets none); nothing of the table is loaded. They look like "ü" in Latin-1: if the file is Latin-1, set `encoding: latin-1` on sources.hcps in kpiops.yaml.']);
      expect(snapshot.failed.has('hcps')).toBe(true);
    } finally {
      snapshot.db.close();
    }
  });

  it('Windows-1252 quotes declared as Latin-1 are refused as control characters, suggesting windows-1252', async () => {
    const snapshot = await loaded(variant((y) => y.replace('encoding: windows-1252', 'encoding: latin-1')));
    try {
      expect(errors(snapshot.diagnostics)[0]).toEqual(['data/invalid-encoding', 'survey_2026',
        'Table survey_2026: line 2 of the file holds the bytes 0x93, which are not valid Latin-1; nothing of the table is loaded. They look like "“" in Windows-1252: if the file is Windows-1252, set `encoding: windows-1252` on sources.responses.exports.survey_2026 in kpiops.yaml.']);
      expect(snapshot.failed.has('responses')).toBe(true);
    } finally {
      snapshot.db.close();
    }
  });

  it('sealing reads with the same encoding, and reports the same error when the file is not in it', async () => {
    const dir = variant((y) => y.replace('    encoding: latin-1\n', ''));
    const run = await kpiops(['snapshot', 'seal', join(dir, 'snapshot'), '--project', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Table hcps: line 2 of the file holds the bytes 0xFC, which are not valid UTF-8');
    expect(run.stdout).toContain('data/invalid-encoding');
  });

  it('an encoding set on a Parquet table is a warning: Parquet text is UTF-8, and the names load exact', async () => {
    const dir = variant((y) => y);
    const snapshotDir = join(dir, 'snapshot');
    writeFileSync(join(dir, 'hcps-utf8.csv'), HCPS);
    const db = await Database.open({ threads: 1 });
    try {
      await db.run(`COPY (SELECT * FROM read_csv($1, all_varchar = true)) TO '${join(snapshotDir, 'hcps.parquet')}' (FORMAT parquet)`, [join(dir, 'hcps-utf8.csv')]);
    } finally {
      db.close();
    }
    rmSync(join(snapshotDir, 'hcps.csv'));
    const manifest = readManifest(snapshotDir);
    manifest.tables.hcps = { file: 'hcps.parquet', format: 'parquet', rows: 4, sha256: createHash('sha256').update(readFileSync(join(snapshotDir, 'hcps.parquet'))).digest('hex') };
    writeManifest(snapshotDir, manifest);
    const snapshot = await loaded(dir);
    try {
      expect(snapshot.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
        ['data/encoding-ignored', 'warning', 'Table hcps is a Parquet file, whose text is always UTF-8: `encoding: latin-1` on sources.hcps in kpiops.yaml is not used; remove it.'],
      ]);
      expect((await snapshot.db.all<{ name: string }>('SELECT name FROM hcps ORDER BY hcp_id')).map((r) => r.name)).toEqual(['Müller', 'Señora Núñez', 'François Lefèvre', 'Åsa Ødegård']);
    } finally {
      snapshot.db.close();
    }
  });

  it('an encoding kpiops does not know is a schema error at its line and column, naming the spelling it has', async () => {
    const dir = variant((y) => y.replace('encoding: windows-1252', 'encoding: cp1252'));
    const project = await validateProject(dir);
    const line = readFileSync(join(dir, 'kpiops.yaml'), 'utf8').split('\n').findIndex((l) => l.includes('cp1252'));
    expect(project.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.message])).toEqual([
      ['schema/enum', line, 18, '"cp1252" is not allowed here; use one of: utf-8, latin-1, windows-1252, utf-16. Did you mean "windows-1252"?'],
    ]);
  });

  it('an encoding on a source built from exports is an error at its key: it would apply to no file', async () => {
    const dir = variant((y) => y.replace('    key: response_id\n', '    key: response_id\n    encoding: latin-1\n'));
    const project = await validateProject(dir);
    const line = readFileSync(join(dir, 'kpiops.yaml'), 'utf8').split('\n').findIndex((l, i) => i > 15 && l === '    encoding: latin-1');
    expect(project.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.message])).toEqual([
      ['project/encoding-with-exports', line, 4, 'Source responses is built from its exports (survey_2026), each read with its own `encoding`; `encoding: latin-1` on the source applies to no file. Move it to each export written in latin-1.'],
    ]);
  });
});
