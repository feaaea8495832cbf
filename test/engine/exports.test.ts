import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateProject } from '../../src/validate/project.js';
import { REPO } from '../support/demo-project.js';
import { editedCopy, load, readManifest, removeTempDirs, reseal, setCell, tempDir, writeManifest } from '../support/snapshots.js';

const EXAMPLE = join(REPO, 'docs/examples/exports');
afterAll(removeTempDirs);

describe('the worked export-mapping example (docs/examples/exports)', async () => {
  const project = await validateProject(EXAMPLE);

  it('is a valid project', () => {
    expect(project.diagnostics).toEqual([]);
  });

  it('builds interactions from the CRM and email exports with exactly the canonical rows expected', async () => {
    const loaded = await load(project, join(EXAMPLE, 'snapshot'));
    try {
      expect(loaded.diagnostics).toEqual([]);
      const rows = await loaded.db.all("SELECT * EXCLUDE (occurred_at), strftime(occurred_at, '%Y-%m-%d %H:%M:%S') AS occurred_at FROM interactions ORDER BY event_id");
      // CRM calls: dates read with the export's own format, channels and products translated,
      // the event a constant. Email events: statuses translated (both bounce kinds → bounced),
      // the +02:00 open converted to UTC (07:30+02:00 → 05:30Z), the empty machine_open left empty.
      expect(rows).toEqual([
        { event_id: 'a0C1', message_id: 'a0C1', hcp_id: 'H001', occurred_at: '2026-09-30 16:45:00', channel: 'rep_visit', event: 'detailed', brand: 'cardiora', bot: null, duration_s: null },
        { event_id: 'a0C2', message_id: 'a0C2', hcp_id: 'H002', occurred_at: '2026-10-01 09:05:00', channel: 'remote_detail', event: 'detailed', brand: 'neurexa', bot: null, duration_s: null },
        { event_id: 'e-1', message_id: 's-9', hcp_id: 'H001', occurred_at: '2026-09-30 22:10:00', channel: 'email', event: 'delivered', brand: 'cardiora', bot: null, duration_s: null },
        { event_id: 'e-2', message_id: 's-9', hcp_id: 'H001', occurred_at: '2026-10-01 05:30:00', channel: 'email', event: 'opened', brand: 'cardiora', bot: false, duration_s: null },
        { event_id: 'e-3', message_id: 's-9', hcp_id: 'H001', occurred_at: '2026-10-01 05:31:00', channel: 'email', event: 'clicked', brand: 'cardiora', bot: null, duration_s: null },
        { event_id: 'e-4', message_id: 's-8', hcp_id: 'H002', occurred_at: '2026-10-02 10:00:00', channel: 'email', event: 'bounced', brand: 'neurexa', bot: null, duration_s: null },
      ]);
    } finally {
      loaded.db.close();
    }
  });

  it('reports an export value the mapping does not translate, and builds nothing from it', async () => {
    const dir = tempDir('kpiops-export-');
    cpSync(join(EXAMPLE, 'snapshot'), dir, { recursive: true });
    const broken = editedCopy(dir, 'crm_calls', (csv) => setCell(csv, 'Call_Channel_vod__c', 'Phone_vod'));
    const loaded = await load(project, broken);
    try {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.table, d.column, d.message])).toEqual([
        ['data/unmapped-value', 'crm_calls', 'Call_Channel_vod__c', 'Export crm_calls, column Call_Channel_vod__c: 1 row has a value the mapping in kpiops.yaml does not translate: "Phone_vod" (1).'],
      ]);
      expect([...loaded.failed]).toEqual(['interactions']);
    } finally {
      loaded.db.close();
    }
  });

  it('reports an export column the mapping reads but the file lacks', async () => {
    const dir = tempDir('kpiops-export-');
    cpSync(join(EXAMPLE, 'snapshot'), dir, { recursive: true });
    const broken = editedCopy(dir, 'email_events', (csv) => csv.replace('recipient_external_id', 'recipient_id'));
    const loaded = await load(project, broken);
    try {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.table, d.column])).toEqual([
        ['data/missing-column', 'email_events', 'recipient_external_id'],
      ]);
    } finally {
      loaded.db.close();
    }
  });

  it('an export date format DuckDB cannot read is a load error, not a crash', async () => {
    const dir = tempDir('kpiops-export-');
    cpSync(EXAMPLE, dir, { recursive: true });
    const yaml = join(dir, 'kpiops.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('format: "%d/%m/%Y %H:%M"', 'format: "%d/%m/%Y %Q"'));
    const broken = await validateProject(dir);
    const loaded = await load(broken, join(dir, 'snapshot'));
    try {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.table])).toEqual([['snapshot/load-failed', 'interactions']]);
    } finally {
      loaded.db.close();
    }
  });

  it('a bad value in one export is named by that export\'s file and column', async () => {
    const dir = tempDir('kpiops-export-');
    cpSync(join(EXAMPLE, 'snapshot'), dir, { recursive: true });
    const broken = editedCopy(dir, 'email_events', (csv) => setCell(csv, 'timestamp_utc', '02.10.2026 10:00'));
    const loaded = await load(project, broken, 'snap');
    try {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.file, d.table, d.column])).toEqual([
        ['data/mistyped', 'snap/email_events.csv', 'email_events', 'timestamp_utc'],
      ]);
    } finally {
      loaded.db.close();
    }
  });
});

describe('JSON tables', () => {
  it('keep text exactly as written (no type guessing) and convert it like CSV', async () => {
    const project = await validateProject(EXAMPLE);
    const dir = tempDir('kpiops-json-');
    cpSync(join(EXAMPLE, 'snapshot'), dir, { recursive: true });
    const records = [
      { event_uuid: 'E-UPPER-CASE-A0EEBC99-9C0B-4EF8', send_id: '2026-10-01T09:00:00+02:00', recipient_external_id: 'H001', timestamp_utc: '2026-10-01T09:00:00+02:00', status: 'OPEN', brand_code: 'CAR', machine_open: false },
    ];
    writeFileSync(join(dir, 'email_events.json'), JSON.stringify(records));
    const manifest = readManifest(dir);
    manifest.tables.email_events = { file: 'email_events.json', format: 'json', rows: 1, sha256: '' };
    writeManifest(dir, manifest);
    reseal(dir, 'email_events', { sha: true, rows: false });
    const loaded = await load(project, dir);
    try {
      expect(loaded.diagnostics).toEqual([]);
      const rows = await loaded.db.all("SELECT event_id, message_id, strftime(occurred_at, '%H:%M') AS t, bot FROM interactions WHERE channel = 'email'");
      // The id keeps its case; the send id that looks like a timestamp stays text; the timestamp is converted to UTC.
      expect(rows).toEqual([{ event_id: 'E-UPPER-CASE-A0EEBC99-9C0B-4EF8', message_id: '2026-10-01T09:00:00+02:00', t: '07:00', bot: false }]);
    } finally {
      loaded.db.close();
    }
  });
});
