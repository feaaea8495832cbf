import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateResults } from '../../src/pipeline/evaluate.js';
import { snapshotOf } from '../../src/pipeline/snapshot.js';
import { parsePeriod } from '../../src/model/period.js';
import { kpisBySource } from '../../src/model/dependencies.js';
import { validateProject } from '../../src/validate/project.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { editedCopy, load, readManifest, removeTempDirs, tempDir } from '../support/snapshots.js';

const FIXTURES = join(REPO, 'test/fixtures/exports');
afterAll(removeTempDirs);

/** Loads a fixture project's snapshot as `kpiops eval` does and evaluates its KPIs for each period: value and n of the whole-population slice, by KPI. */
async function evaluate(project: string, periods: string[], snapshot = join(project, 'snapshot'), slice: Record<string, string> = {}) {
  const validated = await validateProject(project);
  expect(validated.diagnostics).toEqual([]);
  const loaded = await load(validated, snapshot);
  try {
    const bySource = kpisBySource(validated.files.kpis.map((k) => k.spec), validated.files.project!.spec);
    const blocked = [...loaded.failed].flatMap((table) => (bySource.get(table) ?? []).map((kpi) => ({ kpi, table })));
    const values: Record<string, Record<string, { value: unknown; n: number } | undefined>> = {};
    for (const label of periods) {
      const results = await evaluateResults({ validated, db: loaded.db, snapshot: snapshotOf(readManifest(snapshot), ''), period: parsePeriod(label)!, blocked });
      for (const kpi of results.kpis) {
        const found = kpi.slices.find((s) => JSON.stringify(s.dims) === JSON.stringify(slice));
        (values[kpi.id] ??= {})[label] = found ? { value: found.value, n: found.n } : undefined;
      }
    }
    return { diagnostics: loaded.diagnostics, failed: [...loaded.failed], blocked, values, db: loaded.db };
  } finally {
    loaded.db.close();
  }
}

/** A copy of a fixture project with its kpiops.yaml edited. */
function editedProject(name: string, edit: (yaml: string) => string): string {
  const dir = tempDir(`kpiops-${name}-`);
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  const file = join(dir, 'kpiops.yaml');
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
  return dir;
}

const errors = <D extends { severity: string }>(diagnostics: readonly D[]) => diagnostics.filter((d) => d.severity === 'error');

describe('a survey export whose unanswered questions say NA (test/fixtures/exports/survey)', () => {
  const project = join(FIXTURES, 'survey');

  it('loads with NA and "Don\'t know" read as no answer, and the NPS and mean effort KPIs are computed from the answers given', async () => {
    const { diagnostics, values } = await evaluate(project, ['2026-10']);
    expect(diagnostics).toEqual([]);
    // NPS (Q1): 10, 9, NA, 8, 3 → 4 respondents (NA is no answer); promoters 10, 9 = 2; detractors 3 = 1;
    // (2 − 1) / 4 × 100 = 25.
    expect(values.nps!['2026-10']).toEqual({ value: 25, n: 4 });
    // Effort (Q2): 6, NA, 3, "Don't know", 5 → (6 + 3 + 5) / 3 = 14 / 3.
    expect(values.ces!['2026-10']!.n).toBe(3);
    expect(values.ces!['2026-10']!.value).toBeCloseTo(14 / 3, 10);
  });

  it('builds response ids by concat and hcp ids by prefix, and reads the tokens as null before the map and the type', async () => {
    const validated = await validateProject(project);
    const loaded = await load(validated, join(project, 'snapshot'));
    try {
      const rows = await loaded.db.all("SELECT response_id, hcp_id, survey, score FROM responses WHERE response_id IN ('R2-Q2', 'R4-Q2', 'R5-Q1') ORDER BY 1");
      expect(rows).toEqual([
        { response_id: 'R2-Q2', hcp_id: 'C-1002', survey: 'ces', score: null },
        { response_id: 'R4-Q2', hcp_id: 'C-1004', survey: 'ces', score: null },
        { response_id: 'R5-Q1', hcp_id: 'C-1005', survey: 'nps', score: 3 },
      ]);
    } finally {
      loaded.db.close();
    }
  });

  it('a concat with an empty part gives no key (reported), never a half key such as "-Q1"', async () => {
    const broken = editedCopy(join(project, 'snapshot'), 'survey_export', (csv) => csv.replace('R5,1005,Q1,3', ',1005,Q1,3'));
    const { diagnostics, failed } = await evaluate(project, ['2026-10'], broken);
    expect(errors(diagnostics).map((d) => d.message)).toEqual(['Table responses: 1 row has no response_id (a key column).']);
    expect(failed).toEqual(['responses']);
  });

  it('without null_values, NA is a mistyped score and no KPI gets a number', async () => {
    const dir = editedProject('survey', (y) => y.replace('        null_values: ["NA"]\n', ''));
    const { diagnostics, failed, values } = await evaluate(dir, ['2026-10']);
    expect(errors(diagnostics).map((d) => [d.code, d.message])).toEqual([
      // 2 NA scores: R2's Q2 and R3's Q1.
      ['data/mistyped', 'Table survey_export, column Score: 2 values are not a valid number, e.g. "NA".'],
    ]);
    expect(failed).toEqual(['responses']);
    expect(values.nps?.['2026-10']).toBeUndefined();
  });
});

describe('a wide campaign-response file, one column per campaign (test/fixtures/exports/campaigns)', () => {
  const project = join(FIXTURES, 'campaigns');

  it('is unpivoted into one row per targeted customer and campaign, and the response rate is computed by campaign', async () => {
    const byCampaign = async (campaign: string) => (await evaluate(project, ['2026-10'], undefined, { campaign })).values.campaign_response_rate!['2026-10'];
    // WEBINAR_OCT: Y, N, (empty), Y, N → 4 targeted, 2 answered Y: 2 / 4 = 0.5.
    expect(await byCampaign('webinar_oct')).toEqual({ value: 0.5, n: 4 });
    // EMAIL_OCT: N, (empty), Y, (empty), Y → 3 targeted, 2 Y: 2 / 3.
    const email = await byCampaign('email_oct');
    expect(email!.n).toBe(3);
    expect(email!.value).toBeCloseTo(2 / 3, 10);
    // SAMPLE_OCT: (empty), Y, Y, N, Y → 4 targeted, 3 Y: 3 / 4 = 0.75.
    expect(await byCampaign('sample_oct')).toEqual({ value: 0.75, n: 4 });
  });

  it('keeps the empty cells as rows with keep_nulls: 5 customers × 3 campaigns = 15 rows, 4 of them without an answer', async () => {
    const dir = editedProject('campaigns', (y) => y.replace('          name: campaign_column\n', '          name: campaign_column\n          keep_nulls: true\n'));
    const validated = await validateProject(dir);
    const loaded = await load(validated, join(dir, 'snapshot'));
    try {
      expect(loaded.diagnostics).toEqual([]);
      // Empty cells: 1001 SAMPLE, 1002 EMAIL, 1003 WEBINAR, 1004 EMAIL = 4.
      expect(await loaded.db.all('SELECT count(*) AS n, count(*) FILTER (WHERE responded IS NULL) AS empty FROM campaign_responses')).toEqual([{ n: 15, empty: 4 }]);
      expect(await loaded.db.all("SELECT response_id, campaign, CAST(sent_on AS VARCHAR) AS sent_on FROM campaign_responses WHERE hcp_id = '1003' ORDER BY 1"))
        .toEqual([
          { response_id: '1003/EMAIL_OCT', campaign: 'email_oct', sent_on: '2026-10-13' },
          { response_id: '1003/SAMPLE_OCT', campaign: 'sample_oct', sent_on: '2026-10-20' },
          { response_id: '1003/WEBINAR_OCT', campaign: 'webinar_oct', sent_on: '2026-10-01' },
        ]);
    } finally {
      loaded.db.close();
    }
  });

  it('a campaign column missing from the file is named as the one the unpivot needs, and nothing is computed', async () => {
    const broken = editedCopy(join(project, 'snapshot'), 'campaign_sheet', (csv) => csv.replace('EMAIL_OCT', 'EMAIL_NOV'));
    const { diagnostics, failed, blocked, values } = await evaluate(project, ['2026-10'], broken);
    expect(errors(diagnostics).map((d) => [d.code, d.table, d.column, d.message])).toEqual([
      ['data/unpivot-missing-column', 'campaign_sheet', 'EMAIL_OCT', 'Export campaign_sheet has no column EMAIL_OCT, which its unpivot in kpiops.yaml melts into rows.'],
    ]);
    expect(failed).toEqual(['campaign_responses']);
    expect(blocked).toEqual([{ kpi: 'campaign_response_rate', table: 'campaign_responses' }]);
    expect(values.campaign_response_rate?.['2026-10']).toBeUndefined();
  });

  it('an answer the map does not translate is reported from the melted cells', async () => {
    const broken = editedCopy(join(project, 'snapshot'), 'campaign_sheet', (csv) => csv.replace('1005,North,N,Y,Y', '1005,North,N,Y,maybe'));
    const { diagnostics, failed } = await evaluate(project, ['2026-10'], broken);
    expect(errors(diagnostics).map((d) => d.message)).toEqual([
      'Export campaign_sheet, column answer (melted by its unpivot): 1 row has a value the mapping in kpiops.yaml does not translate: "maybe" (1).',
    ]);
    expect(failed).toEqual(['campaign_responses']);
  });
});

describe('a call log with no id column and no year (test/fixtures/exports/calls)', () => {
  const project = join(FIXTURES, 'calls');

  it('gets a row-hash key and dates from day and month name, and calls are counted in their month', async () => {
    const { diagnostics, values } = await evaluate(project, ['2026-01', '2026-02', '2026-03']);
    expect(diagnostics).toEqual([]);
    // January: 1 January (1001), 17 jan (1002) → 2 calls ÷ 2 HCPs = 1.
    expect(values.calls_per_hcp!['2026-01']).toEqual({ value: 1, n: 2 });
    // February: 28 FEB (1001), 28 feb (1003) → 2 ÷ 2 = 1.
    expect(values.calls_per_hcp!['2026-02']).toEqual({ value: 1, n: 2 });
    // March: 1 March (1003), 15 Mar (1001), 31 mar (1001) → 3 calls ÷ 2 HCPs = 1.5.
    expect(values.calls_per_hcp!['2026-03']).toEqual({ value: 1.5, n: 2 });
  });

  it('row hashes are stable: the same file gives the same keys, 64 hex digits each, all different', async () => {
    const keys = async () => {
      const validated = await validateProject(project);
      const loaded = await load(validated, join(project, 'snapshot'));
      try {
        return (await loaded.db.all<{ event_id: string; at: string }>("SELECT event_id, strftime(occurred_at, '%Y-%m-%d %H:%M') AS at FROM interactions ORDER BY occurred_at")).map((r) => [r.event_id, r.at]);
      } finally {
        loaded.db.close();
      }
    };
    const first = await keys();
    expect(await keys()).toEqual(first);
    expect(first.map(([, at]) => at)).toEqual(['2026-01-01 09:00', '2026-01-17 09:00', '2026-02-28 09:00', '2026-02-28 09:00', '2026-03-01 09:00', '2026-03-15 09:00', '2026-03-31 09:00']);
    expect(new Set(first.map(([key]) => key)).size).toBe(7);
    for (const [key] of first) expect(key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('coalesce takes the first value present, a constant last being the default', async () => {
    const dir = editedProject('calls', (y) => y.replace('hcp_id: {from: Customer}', 'hcp_id: {coalesce: [{from: Customer}, {from: Rep}, "unknown"]}'));
    const snapshot = editedCopy(join(dir, 'snapshot'), 'call_log', (csv) => csv.replace('R1,1002,17,jan', 'R1,,17,jan').replace('R2,1003,1,March', ',,1,March'));
    const validated = await validateProject(dir);
    const loaded = await load(validated, snapshot);
    try {
      expect(errors(loaded.diagnostics)).toEqual([]);
      // 17 January: no Customer → the Rep, R1; 1 March: neither → "unknown"; 1 January keeps its Customer.
      expect(await loaded.db.all("SELECT strftime(occurred_at, '%m-%d') AS day, hcp_id FROM interactions WHERE occurred_at < '2026-01-18' OR occurred_at = '2026-03-01 09:00' ORDER BY 1"))
        .toEqual([{ day: '01-01', hcp_id: '1001' }, { day: '01-17', hcp_id: 'R1' }, { day: '03-01', hcp_id: 'unknown' }]);
    } finally {
      loaded.db.close();
    }
  });

  it('sealing reads the coverage end through date_from_parts, and names a part column the file lacks', async () => {
    const dir = tempDir('kpiops-calls-seal-');
    cpSync(project, dir, { recursive: true });
    const ok = await kpiops(['snapshot', 'seal', join(dir, 'snapshot'), '--check', '-p', dir]);
    expect(ok.code).toBe(0);
    // The last call, "31,mar" in 2026: complete to 2026-03-31, as the fixture's manifest says.
    expect(readManifest(join(dir, 'snapshot')).tables.call_log!.coverage_end).toBe('2026-03-31');
    writeFileSync(join(dir, 'snapshot/call_log.csv'), readFileSync(join(dir, 'snapshot/call_log.csv'), 'utf8').replace('Rep,Customer,Day,Month', 'Rep,Customer,Day,Mois'));
    const run = await kpiops(['snapshot', 'seal', join(dir, 'snapshot'), '-p', dir]);
    expect(run.stdout).toContain('Table call_log has no column Month.');
    expect(run.stdout).not.toContain('Binder Error');
    expect(run.code).toBe(1);
  });

  it('31 February is a load error naming the export, the column and the row, and no month gets a number', async () => {
    const broken = editedCopy(join(project, 'snapshot'), 'call_log', (csv) => csv.replace('R1,1003,28,feb', 'R1,1003,31,feb'));
    const { diagnostics, failed, values } = await evaluate(project, ['2026-02'], broken);
    expect(errors(diagnostics).map((d) => [d.code, d.table, d.column, d.message, (d as { row?: unknown }).row])).toEqual([
      ['data/impossible-date', 'call_log', 'occurred_at', "Export call_log, column occurred_at: 1 row's date parts make no date (date_from_parts), e.g. year 2026, month feb, day 31, time 09:00.", { Month: 'feb', Day: '31', Rep: 'R1', Customer: '1003' }],
    ]);
    expect(failed).toEqual(['interactions']);
    expect(values.calls_per_hcp?.['2026-02']).toBeUndefined();
  });

  it('a month that is no month name is a load error too, never a null date', async () => {
    const broken = editedCopy(join(project, 'snapshot'), 'call_log', (csv) => csv.replace('R1,1002,17,jan', 'R1,1002,17,Janvier'));
    const { diagnostics, failed } = await evaluate(project, ['2026-01'], broken);
    expect(errors(diagnostics).map((d) => d.message)).toEqual([
      "Export call_log, column occurred_at: 1 row's date parts make no date (date_from_parts), e.g. year 2026, month Janvier, day 17, time 09:00.",
    ]);
    expect(failed).toEqual(['interactions']);
  });

  it('a row the log repeats gets the same key and is reported as a duplicate key', async () => {
    const broken = editedCopy(join(project, 'snapshot'), 'call_log', (csv) => `${csv}R2,1001,31,mar\n`);
    const { diagnostics, failed } = await evaluate(project, ['2026-03'], broken);
    expect(errors(diagnostics).map((d) => d.code)).toEqual(['data/duplicate-key']);
    expect(failed).toEqual(['interactions']);
  });

  it('two rows differing only by an empty cell versus a missing one still differ: the hash keeps null apart from empty text', async () => {
    const validated = await validateProject(project);
    const dir = tempDir('kpiops-calls-json-');
    cpSync(join(project, 'snapshot'), dir, { recursive: true });
    const records = [{ Rep: '', Customer: '1001', Day: '2', Month: 'Jan' }, { Rep: null, Customer: '1001', Day: '2', Month: 'Jan' }];
    writeFileSync(join(dir, 'call_log.json'), JSON.stringify(records));
    const manifest = readManifest(dir);
    manifest.tables.call_log = { file: 'call_log.json', format: 'json', rows: 2, sha256: '' };
    writeFileSync(join(dir, 'snapshot.yaml'), (await import('yaml')).stringify(manifest));
    const { reseal } = await import('../support/snapshots.js');
    reseal(dir, 'call_log', { sha: true, rows: false });
    const loaded = await load(validated, dir);
    try {
      expect(errors(loaded.diagnostics)).toEqual([]);
      expect(await loaded.db.all('SELECT count(DISTINCT event_id) AS keys FROM interactions')).toEqual([{ keys: 2 }]);
    } finally {
      loaded.db.close();
    }
  });
});
