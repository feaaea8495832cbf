import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateProject } from '../../src/validate/project.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { load, removeTempDirs, tempDir } from '../support/snapshots.js';

afterAll(removeTempDirs);

/**
 * The vintage fixture's project with its Rx exports holding, instead of a month, the file's
 * period end (`202610`) and a rolling period name (`M01` the period end's month, `M02` the one
 * before …), resealed.
 */
async function rollingCopy(months: string, rows: Record<string, string>): Promise<string> {
  const dir = tempDir('kpiops-months-');
  cpSync(join(REPO, 'test/fixtures/vintage'), dir, { recursive: true });
  const yaml = join(dir, 'kpiops.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replaceAll('month: {from: month}', `month: {months_before: {from: period_end, format: "%Y%m", months: ${months}}}`));
  for (const [table, csv] of Object.entries(rows)) writeFileSync(join(dir, 'snapshot', `${table}.csv`), csv);
  const sealed = await kpiops(['snapshot', 'seal', '-p', dir, join(dir, 'snapshot'), '-q']);
  expect(sealed.code, sealed.stderr).toBe(0);
  return dir;
}

const SEPTEMBER = 'hcp,period_end,period,trx,market_trx\nH001,202609,M02,10,100\nH001,202609,M01,12,100\nH002,202609,M01,3,50\n';
const OCTOBER = 'hcp,period_end,period,trx,market_trx\nH001,202610,M02,14,100\nH002,202610,M02,3,50\nH001,202610,M01,9,90\n';

describe('a month counted back from a file\'s period end (months_before)', () => {
  it('gives each rolling period its month, so the deliveries line up month by month', async () => {
    const dir = await rollingCopy('{from: period, map: {M01: 0, M02: 1}}', { rx_2026_09: SEPTEMBER, rx_2026_10: OCTOBER });
    const project = await validateProject(dir);
    expect(project.diagnostics).toEqual([]);
    const loaded = await load(project, join(dir, 'snapshot'));
    try {
      // September's file (period end 202609): M01 is September, M02 the month before, August.
      // October's file: M01 is October, M02 September — which restates H001's September 12 → 14.
      expect(loaded.diagnostics.map((d) => d.message)).toEqual([
        'Table rx: the delivery 2026-10-05 restates trx of hcp_id H001, brand cardiora, month 2026-09-01: 12 → 14 (was delivered 2026-09-05); the latest delivery\'s value is used.',
      ]);
      const rows = await loaded.db.all("SELECT hcp_id, strftime(month, '%Y-%m-%d') AS month, trx, strftime(delivered, '%m-%d') AS delivered FROM rx ORDER BY hcp_id, month");
      expect(rows).toEqual([
        { hcp_id: 'H001', month: '2026-08-01', trx: 10, delivered: '09-05' },
        { hcp_id: 'H001', month: '2026-09-01', trx: 14, delivered: '10-05' },
        { hcp_id: 'H001', month: '2026-10-01', trx: 9, delivered: '10-05' },
        { hcp_id: 'H002', month: '2026-09-01', trx: 3, delivered: '10-05' },
      ]);
    } finally {
      loaded.db.close();
    }
  });

  it('reports a period end that does not read as a date, with the value as written, on the month column of the file it is in', async () => {
    const dir = await rollingCopy('{from: period, map: {M01: 0, M02: 1}}', { rx_2026_09: SEPTEMBER.replace('H002,202609', 'H002,2026-9'), rx_2026_10: OCTOBER });
    const project = await validateProject(dir);
    const loaded = await load(project, join(dir, 'snapshot'));
    try {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.file, d.column, d.message])).toEqual([
        ['data/mistyped', 'snap/rx_2026_09.csv', 'month', 'Table rx, column month: 1 value is not a valid date, e.g. "2026-9".'],
      ]);
    } finally {
      loaded.db.close();
    }
  });

  it('is refused on a column that is not a date', async () => {
    const dir = await rollingCopy('0', { rx_2026_09: SEPTEMBER, rx_2026_10: OCTOBER });
    const yaml = join(dir, 'kpiops.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('trx: {from: trx}', 'trx: {months_before: {from: period_end, months: 0}}'));
    const broken = await validateProject(dir);
    expect(broken.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['project/export-type', '`months_before` gives a month (its first day); trx is an integer column, not a date column.'],
    ]);
  });
});
