import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateProject } from '../../src/validate/project.js';
import { REPO } from '../support/demo-project.js';
import { editedCopy, load, removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

const VINTAGE = join(REPO, 'test/fixtures/vintage');
const VEEVA = join(REPO, 'test/fixtures/presets/veeva_crm');

/** The load findings of a snapshot of a fixture project: code, table, column and message. */
async function findings(fixture: string, snapshot: string) {
  const loaded = await load(await validateProject(fixture), snapshot);
  try {
    return loaded.diagnostics.map((d) => [d.code, d.table, d.column, d.message]);
  } finally {
    loaded.db.close();
  }
}

describe('findings made while loading a snapshot', () => {
  it('lists 100 restated values one by one and counts the others in one warning', async () => {
    // H002's months 2010-01 … 2018-05 (101 months) are in both deliveries, with trx 1 then 2.
    const months = Array.from({ length: 101 }, (_, i) => `${2010 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
    const rows = (trx: number) => months.map((m) => `H002,${m},${trx},10\n`).join('');
    const first = editedCopy(join(VINTAGE, 'snapshot'), 'rx_2026_09', (csv) => csv + rows(1));
    const both = editedCopy(first, 'rx_2026_10', (csv) => csv + rows(2));
    const found = await findings(VINTAGE, both);
    // Restated: H001's August (12 → 14) and the 101 months of H002 = 102; 100 listed, 102 - 100 = 2 counted.
    expect(found.filter(([code]) => code === 'data/restated')).toHaveLength(100);
    expect(found.filter(([code]) => code !== 'data/restated')).toEqual([
      ['data/restated-more', 'rx', undefined, 'Table rx: 2 more restated values not listed one by one; the latest delivery\'s values are used.'],
    ]);
  });

  it('refuses a lookup into a table that has the value it matches on twice', async () => {
    const broken = editedCopy(join(VEEVA, 'snapshot'), 'sent_emails', (csv) => `${csv}a0E000000000001,H004,2026-10-20T08:00:00Z,Delivered_vod,a00000000000001\n`);
    expect((await findings(VEEVA, broken)).filter(([code]) => code === 'data/lookup-repeated')).toEqual([
      ['data/lookup-repeated', 'sent_emails', 'Id', 'Export email_activity, column hcp_id: the lookup needs one row of sent_emails per Id, but Id "a0E000000000001" is there 2 times.'],
    ]);
  });

  it('refuses a lookup into a table the snapshot does not have', async () => {
    // The export named by a lookup is not checked against kpiops.yaml's exports: a misspelt one is found on loading.
    const project = tempDir('kpiops-lookup-');
    cpSync(VEEVA, project, { recursive: true });
    const yaml = join(project, 'kpiops.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('        preset: veeva_crm/email_activity\n',
      '        preset: veeva_crm/email_activity\n        columns:\n          hcp_id: {lookup: {export: sent_mails, match: Sent_Email_vod__c, on: Id, take: Account_vod__c}}\n'));
    expect((await findings(project, join(project, 'snapshot'))).filter(([code]) => code !== 'snapshot/blocked-kpis')).toEqual([
      ['data/lookup-table', 'email_activity', 'hcp_id', 'Export email_activity, column hcp_id: the lookup reads table sent_mails, which the snapshot does not have; add that export to the snapshot.'],
    ]);
  });
});
