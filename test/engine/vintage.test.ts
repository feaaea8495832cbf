import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateProject } from '../../src/validate/project.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { editedCopy, load, removeTempDirs, tempDir } from '../support/snapshots.js';

const FIXTURE = join(REPO, 'test/fixtures/vintage');
const SNAPSHOT = join(FIXTURE, 'snapshot');
afterAll(removeTempDirs);

describe('a source delivered several times (vintage: keep latest)', async () => {
  const project = await validateProject(FIXTURE);

  it('keeps per key the latest delivery\'s row and reports the value it restates', async () => {
    expect(project.diagnostics).toEqual([]);
    const loaded = await load(project, SNAPSHOT);
    try {
      expect(loaded.diagnostics.map((d) => [d.code, d.severity, d.file, d.column, d.message])).toEqual([
        ['data/restated', 'warning', 'snap/rx_2026_10.csv', 'trx',
          'Table rx: the delivery 2026-10-05 restates trx of hcp_id H001, brand cardiora, month 2026-08-01: 12 → 14 (was delivered 2026-09-05); the latest delivery\'s value is used.'],
      ]);
      const rows = await loaded.db.all("SELECT hcp_id, strftime(month, '%Y-%m') AS month, trx, strftime(delivered, '%Y-%m-%d') AS delivered FROM rx ORDER BY hcp_id, month");
      // July only in the first delivery; August in both (H001 restated, H002 repeated as it was); September only in the second.
      expect(rows).toEqual([
        { hcp_id: 'H001', month: '2026-07', trx: 10, delivered: '2026-09-05' },
        { hcp_id: 'H001', month: '2026-08', trx: 14, delivered: '2026-10-05' },
        { hcp_id: 'H001', month: '2026-09', trx: 9, delivered: '2026-10-05' },
        { hcp_id: 'H002', month: '2026-08', trx: 3, delivered: '2026-10-05' },
      ]);
    } finally {
      loaded.db.close();
    }
  });

  it('computes the restated month from the latest delivery, and says so', async () => {
    const out = join(tempDir('kpiops-vintage-results-'), 'results.json');
    const run = await kpiops(['eval', '-p', FIXTURE, '--snapshot', SNAPSHOT, '--period', '2026-08', '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('restates trx of hcp_id H001, brand cardiora, month 2026-08-01: 12 → 14');
    const kpi = (JSON.parse(readFileSync(out, 'utf8')) as { kpis: Array<{ slices: Array<{ value: number; components: Record<string, number> }> }> }).kpis[0]!.slices[0]!;
    // August: H001 14 (restated from 12) + H002 3 = 17 of the market's 100 + 50 = 150 → 0.1133…; the first delivery would give 15 / 150.
    expect(kpi.components).toEqual({ numerator: 17, denominator: 150 });
    expect(kpi.value).toBeCloseTo(17 / 150, 12);
  });

  it('still reports a key repeated within one delivery as a duplicate', async () => {
    const broken = editedCopy(SNAPSHOT, 'rx_2026_09', (csv) => `${csv}H001,2026-07-01,11,100\n`);
    const loaded = await load(project, broken);
    try {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.message])).toEqual([
        ['data/duplicate-key', 'Table rx: the key H001 / cardiora / 2026-07-01 appears 2 times; keys (hcp_id, brand, month) must be unique.'],
      ]);
    } finally {
      loaded.db.close();
    }
  });

  it('refuses a vintage column that is part of the key, at its line', async () => {
    const dir = tempDir('kpiops-vintage-');
    cpSync(FIXTURE, dir, { recursive: true });
    const file = join(dir, 'kpiops.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('key: [hcp_id, brand, month]', 'key: [hcp_id, brand, month, delivered]'));
    const broken = await validateProject(dir);
    expect(broken.diagnostics.map((d) => [d.code, d.range.start.line + 1, d.message])).toEqual([
      ['project/vintage-key', 17, 'The vintage column of source rx, delivered, is part of its key; a key names what a row is about (HCP, brand, month), so deliveries of the same row share it: take delivered out of the key.'],
    ]);
  });
});
