import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiops } from '../support/cli.js';
import { demoSnapshot, removeTempDirs, tempDir } from '../support/snapshots.js';

/**
 * `kpiops alert` on the demo snapshot, whose neurexa email opens collapse in September 2026
 * (24.6 % in August → 8.9 %), with the demo's alert (`alerts/email_opens_collapse.yaml`:
 * a fall beyond 3 × the brand's own month-to-month spread) and its owned feeds.
 */
let snapshot: string;
beforeAll(async () => {
  snapshot = await demoSnapshot();
}, 120_000);
afterAll(removeTempDirs);

type Listed = { kind: string; id: string; kpi?: string; check?: string; slice: Record<string, string>; state: string; detail?: string; notice?: { transition: string; sequence: number; recipients: string[] } };
type Run = { firing: Listed[]; pending: Listed[]; resolved: Listed[]; no_data: Listed[]; error: Listed[]; ok: number };

async function alertAt(asOf: string, out: string): Promise<Run> {
  const r = await kpiops(['alert', '--snapshot', snapshot, '--out', out, '--as-of', asOf, '--format', 'json', '-q']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Run;
}

describe('kpiops alert on the demo', () => {
  it('fires for the brand whose opens collapsed, and for no other brand or feed', async () => {
    const out = tempDir('kpiops-alert-');
    // As of 2 October, September is the last month over: neurexa fell 15.7 pp, far beyond 3 × its spread.
    const run = await alertAt('2026-10-02T06:00:00Z', out);
    expect(run.firing.map((f) => [f.id, f.kpi, f.slice])).toEqual([['email_opens_collapse', 'email_open_rate', { brand: 'neurexa' }]]);
    expect(run.firing[0]!.notice).toEqual({ transition: 'firing', episode: expect.any(String), sequence: 0, recipients: ['luca.bianchi@demo-pharma.example'] });
    expect(run.firing[0]!.detail).toMatch(/^Email open rate 8\.9% in 2026-09, down 15\.7 pp from 24\.6% in 2026-08: more than 3 × its usual month-to-month move of /);
    expect([run.pending, run.no_data, run.error]).toEqual([[], [], []]);
    // Three brands and the four owned feeds' checks (rx's volume is off), all ok but neurexa.
    expect(run.ok).toBeGreaterThan(10);
  });

  it('tells nothing twice, and tells the recovery once, when the next month is quiet', async () => {
    const out = tempDir('kpiops-alert-');
    await alertAt('2026-10-02T06:00:00Z', out);
    // The next day: September is judged again, still a breach: the episode is open, nothing is told.
    const again = await alertAt('2026-10-03T06:00:00Z', out);
    expect(again.firing.map((f) => f.slice)).toEqual([{ brand: 'neurexa' }]);
    expect(again.firing[0]!.notice).toBeUndefined();
    // As of the snapshot's own date (1 November), October is judged: neurexa moved −0.1 pp, within its spread.
    const quiet = await alertAt('2026-11-01T00:00:00Z', out);
    expect(quiet.firing).toEqual([]);
    expect(quiet.resolved.map((r) => [r.slice, r.notice?.transition])).toEqual([[{ brand: 'neurexa' }, 'recovered']]);
    const state = JSON.parse(readFileSync(join(out, 'alert-state.json'), 'utf8')) as { tracks: Record<string, { state: string }> };
    expect(Object.entries(state.tracks).map(([k, t]) => [k, t.state])).toEqual([
      ['email_opens_collapse|email_open_rate|brand=cardiora', 'ok'],
      ['email_opens_collapse|email_open_rate|brand=neurexa', 'ok'],
      ['email_opens_collapse|email_open_rate|brand=pulmivo', 'ok'],
    ]);
    // A quiet month from a fresh state: nothing fires at all.
    const fresh = await alertAt('2026-11-01T00:00:00Z', tempDir('kpiops-alert-'));
    expect([fresh.firing, fresh.resolved]).toEqual([[], []]);
  });

  it('refuses a state file that is not one, naming it, rather than start afresh', async () => {
    const out = tempDir('kpiops-alert-');
    const state = join(out, 'state.json');
    (await import('node:fs')).writeFileSync(state, '{"version": "alert-state/v1", "tracks": []}');
    const r = await kpiops(['alert', '--snapshot', snapshot, '--out', out, '--state', state, '-q']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${state}: the alert state file is not a valid alert-state/v1 file`);
    expect(r.stderr).toContain('a fresh state would tell every open episode again');
    expect(r.stdout).toBe('');
  });
});
