import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Export } from '../../src/spec/project.js';
import { validateProject } from '../../src/validate/project.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { load, removeTempDirs, tempDir } from '../support/snapshots.js';

const FIXTURE = join(REPO, 'test/fixtures/presets/rx_wide');
const SNAPSHOT = join(FIXTURE, 'snapshot');
afterAll(removeTempDirs);

// The wide layout is melted by the export-wide `unpivot`; these run once kpiops reads it.
const unpivots = 'unpivot' in Export.properties;

describe('the rx_wide/trx preset: a syndicated Rx wide file delivered twice', async () => {
  const project = await validateProject(FIXTURE);

  it('validates', async () => {
    expect(project.diagnostics).toEqual([]);
  });

  it.skipIf(!unpivots)('gives each rolling column its month, keeps the latest delivery and reports the restated month', async () => {
    const loaded = await load(project, SNAPSHOT);
    try {
      // The October file (period end 202610) restates H001's September (its TRX_02) from 12 to 14.
      expect(loaded.diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([
        ['data/restated', 'snap/rx_2026_10.csv', 'Table rx: the delivery 2026-10-01 restates trx of hcp_id H001, brand cardiora, month 2026-09-01: 12 → 14 (was delivered 2026-09-01); the latest delivery\'s value is used.'],
      ]);
      const rows = await loaded.db.all("SELECT hcp_id, strftime(month, '%Y-%m') AS month, trx, strftime(delivered, '%Y-%m') AS delivered FROM rx ORDER BY hcp_id, month");
      // September file: TRX_01 = September, TRX_02 = August. October file: TRX_01 = October, TRX_02 = September,
      // TRX_03 = August (unchanged: kept from the latest delivery, nothing reported). Empty cells are no rows.
      expect(rows).toEqual([
        { hcp_id: 'H001', month: '2026-08', trx: 10, delivered: '2026-10' },
        { hcp_id: 'H001', month: '2026-09', trx: 14, delivered: '2026-10' },
        { hcp_id: 'H001', month: '2026-10', trx: 9, delivered: '2026-10' },
        { hcp_id: 'H002', month: '2026-09', trx: 3, delivered: '2026-10' },
        { hcp_id: 'H002', month: '2026-10', trx: 4, delivered: '2026-10' },
      ]);
    } finally {
      loaded.db.close();
    }
  });

  it.skipIf(!unpivots)('computes September from the latest delivery', async () => {
    const out = join(tempDir('kpiops-rx-wide-'), 'results.json');
    const run = await kpiops(['eval', '-p', FIXTURE, '--snapshot', SNAPSHOT, '--period', '2026-09', '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    const kpi = (JSON.parse(readFileSync(out, 'utf8')) as { kpis: Array<{ slices: Array<{ value: number; components: Record<string, number> }> }> }).kpis[0]!.slices[0]!;
    // September: H001 14 (restated from 12) + H002 3 = 17 TRx over 2 prescribers → 8.5; the first delivery would give 15 / 2.
    expect(kpi).toMatchObject({ value: 8.5, components: { numerator: 17, denominator: 2 } });
  });

  it.skipIf(!unpivots)('seals each delivery with the months its rolling columns cover, read through the unpivot', async () => {
    // September's file (period end 202609) fills TRX_01 and TRX_02: September and August 2026;
    // October's fills TRX_01..03: October, September, August. Before, sealing read the melted
    // column's name from the file and failed with a DuckDB binder error.
    const dir = tempDir('kpiops-rx-wide-');
    cpSync(FIXTURE, dir, { recursive: true });
    const run = await kpiops(['snapshot', 'seal', '-p', dir, join(dir, 'snapshot')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('rx_2026_09  rx_2026_09.csv: 2 rows, complete from 2026-08-01 to 2026-09-30');
    expect(run.stdout).toContain('rx_2026_10  rx_2026_10.csv: 2 rows, complete from 2026-08-01 to 2026-10-31');
  });
});
