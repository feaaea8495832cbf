import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateProject } from '../../src/validate/project.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { editedCopy, load, removeTempDirs, tempDir } from '../support/snapshots.js';

const FIXTURE = join(REPO, 'test/fixtures/presets/salesforce_lsc');
const SNAPSHOT = join(FIXTURE, 'snapshot');
afterAll(removeTempDirs);

describe('the salesforce_lsc/visit preset', async () => {
  const project = await validateProject(FIXTURE);

  it('builds exactly the canonical interactions the Visit export describes', async () => {
    expect(project.diagnostics).toEqual([]);
    const loaded = await load(project, SNAPSHOT);
    try {
      expect(loaded.diagnostics).toEqual([]);
      const rows = await loaded.db.all("SELECT event_id, message_id, hcp_id, strftime(occurred_at, '%Y-%m-%d %H:%M') AS at, channel, event FROM interactions ORDER BY event_id");
      // Channel In-Person → rep_visit, Remote → remote_detail; every visit is a `visited` event;
      // the member 0Vs…3 of the group visit 0Vs…2 shares its parent's touch.
      expect(rows).toEqual([
        { event_id: '0Vs000000000001', message_id: '0Vs000000000001', hcp_id: 'H001', at: '2026-10-01 09:00', channel: 'rep_visit', event: 'visited' },
        { event_id: '0Vs000000000002', message_id: '0Vs000000000002', hcp_id: 'H002', at: '2026-10-06 10:00', channel: 'remote_detail', event: 'visited' },
        { event_id: '0Vs000000000003', message_id: '0Vs000000000002', hcp_id: 'H003', at: '2026-10-06 10:00', channel: 'remote_detail', event: 'visited' },
        { event_id: '0Vs000000000004', message_id: '0Vs000000000004', hcp_id: 'H001', at: '2026-10-15 11:30', channel: 'rep_visit', event: 'visited' },
      ]);
    } finally {
      loaded.db.close();
    }
  });

  it('evaluates the fixture\'s KPIs to the values computed by hand', async () => {
    const out = join(tempDir('kpiops-lsc-results-'), 'results.json');
    const run = await kpiops(['eval', '-p', FIXTURE, '--snapshot', SNAPSHOT, '--period', '2026-10', '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { kpis: Array<{ id: string; slices: Array<{ value: number; components: Record<string, number> }> }> };
    const value = (id: string) => results.kpis.find((k) => k.id === id)!.slices[0]!;
    // Reach: 4 target HCPs; a rep visit engages (H001), a remote visit is not a detail on remote_detail → 1 / 4 = 0.25.
    expect(value('reach')).toMatchObject({ value: 0.25, components: { reached: 1, population: 4 } });
    // Touches per HCP and visit: 4; remote: H002's and H003's → 2 / 4 = 0.5.
    expect(value('remote_share')).toMatchObject({ value: 0.5, components: { numerator: 2, denominator: 4 } });
  });

  it('names the preset when the export lacks a field it needs, and computes no number', async () => {
    const broken = editedCopy(SNAPSHOT, 'visits', (csv) => csv.replace('ActualVisitStartTime', 'StartTime'));
    const loaded = await load(project, broken);
    try {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
        'Export visits has no column ActualVisitStartTime, which preset salesforce_lsc/visit needs for occurred_at: export the field, or map that column yourself under the export\'s `columns`.',
      ]);
      expect([...loaded.failed]).toEqual(['interactions']);
    } finally {
      loaded.db.close();
    }
  });

  it('fails the load on a channel the preset does not map, naming the value and the preset whose map it is', async () => {
    const broken = editedCopy(SNAPSHOT, 'visits', (csv) => csv.replace('H001,2026-10-15T11:30:00Z,In-Person', 'H001,2026-10-15T11:30:00Z,WeChat'));
    const loaded = await load(project, broken);
    try {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
        'Export visits, column Channel: 1 row has a value the map of preset salesforce_lsc/visit for channel does not translate: "WeChat" (1). Map channel yourself under the export\'s `columns`.',
      ]);
    } finally {
      loaded.db.close();
    }
  });
});
