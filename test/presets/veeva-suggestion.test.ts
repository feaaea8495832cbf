import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateProject } from '../../src/validate/project.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { editedCopy, load, removeTempDirs, tempDir } from '../support/snapshots.js';

const FIXTURE = join(REPO, 'test/fixtures/presets/veeva_suggestion');
const SNAPSHOT = join(FIXTURE, 'snapshot');
afterAll(removeTempDirs);

describe('the veeva_crm/suggestion preset', async () => {
  const project = await validateProject(FIXTURE);

  it('builds exactly the canonical recommendations the Suggestion_vod__c export describes', async () => {
    expect(project.diagnostics).toEqual([]);
    const loaded = await load(project, SNAPSHOT);
    try {
      expect(loaded.diagnostics).toEqual([]);
      const rows = await loaded.db.all("SELECT recommendation_id AS id, hcp_id, strftime(posted_at, '%Y-%m-%d') AS posted, strftime(expires_at, '%Y-%m-%d') AS expires, channel, outcome, outcome_at, rep_id, driver, reason FROM recommendations ORDER BY 1");
      // Record type Call_vod → rep_visit, Email_vod → email. Flags complete/actioned/dismissed:
      // 1/1/0 → completed; 0/1/0 → actioned; 0/0/1 → dismissed; 0/0/0 → open (empty); 0/1/1 → actioned (acting wins).
      // The suggestion holds no feedback time, rep, driver or dismiss reason: those stay empty.
      const empty = { outcome_at: null, rep_id: null, driver: null, reason: null };
      expect(rows).toEqual([
        { id: 'a3J000000000001', hcp_id: 'H001', posted: '2026-10-01', expires: '2026-10-15', channel: 'rep_visit', outcome: 'completed', ...empty },
        { id: 'a3J000000000002', hcp_id: 'H002', posted: '2026-10-02', expires: '2026-10-16', channel: 'rep_visit', outcome: 'actioned', ...empty },
        { id: 'a3J000000000003', hcp_id: 'H003', posted: '2026-10-05', expires: '2026-10-19', channel: 'email', outcome: 'dismissed', ...empty },
        { id: 'a3J000000000004', hcp_id: 'H004', posted: '2026-10-20', expires: '2026-11-03', channel: 'email', outcome: null, ...empty },
        { id: 'a3J000000000005', hcp_id: 'H001', posted: '2026-10-21', expires: '2026-11-04', channel: 'email', outcome: 'actioned', ...empty },
      ]);
    } finally {
      loaded.db.close();
    }
  });

  it('evaluates the demo\'s suggestion action and dismiss rates to the values computed by hand', async () => {
    const out = join(tempDir('kpiops-suggestion-results-'), 'results.json');
    const run = await kpiops(['eval', '-p', FIXTURE, '--snapshot', SNAPSHOT, '--period', '2026-10', '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    type Slice = { dims?: Record<string, string>; value: number; components: Record<string, number> };
    const results = JSON.parse(readFileSync(out, 'utf8')) as { kpis: Array<{ id: string; slices: Slice[] }> };
    const slices = (id: string) => results.kpis.find((k) => k.id === id)!.slices;
    // Answered: a3J…1 (completed), …2 (actioned), …3 (dismissed), …5 (actioned); …4 is open and left out.
    // Acted on: …1, …2, …5 → 3 / 4 = 0.75; by channel: rep_visit …1, …2 → 2 / 2 = 1; email …5 of …3, …5 → 1 / 2 = 0.5.
    expect(slices('suggestion_action_rate').map((s) => [s.dims?.channel ?? 'all', s.value, s.components])).toEqual([
      ['all', 0.75, { numerator: 3, denominator: 4 }],
      ['email', 0.5, { numerator: 1, denominator: 2 }],
      ['rep_visit', 1, { numerator: 2, denominator: 2 }],
    ]);
    // Dismissed: …3 → 1 / 4 = 0.25.
    expect(slices('suggestion_dismiss_rate')[0]).toMatchObject({ value: 0.25, components: { numerator: 1, denominator: 4 } });
  });

  it('fails the load on a flag combination its map does not list, naming the joined columns and the value', async () => {
    // An export that writes the numbers with a decimal (1.0) is not guessed at: the team maps it.
    const broken = editedCopy(SNAPSHOT, 'suggestions', (csv) => csv.replace('2026-10-16,1,0,0', '2026-10-16,1.0,0,0'));
    const loaded = await load(project, broken);
    try {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.table, d.message])).toEqual([
        ['data/unmapped-value', 'suggestions', expect.stringContaining('"0/1.0/0" (1)')],
      ]);
      expect(loaded.diagnostics[0]!.message).toContain('outcome (joined from Marked_As_Complete_vod__c + "/" + Actioned_vod__c + "/" + Dismissed_vod__c)');
      expect([...loaded.failed]).toEqual(['recommendations']);
    } finally {
      loaded.db.close();
    }
  });
});
