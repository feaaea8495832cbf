import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
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
  // Only the note that the emails wait in the outbox for --send.
  expect(r.stderr).toMatch(/^(ℹ \d+ emails? written to .*\n)?$/);
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

describe('kpiops alert --send', () => {
  it('sends a firing once, nothing on a re-run, one recovery when the next month is quiet; an email a refused server did not take is sent by the next run', async () => {
    const { startSmtp } = await import('../support/smtp.js');
    // Luca Bianchi's address is refused on the first attempt only (a mailbox briefly full).
    const server = await startSmtp({ rcpt: (email, attempt) => (email === 'luca.bianchi@demo-pharma.example' && attempt === 1 ? { code: 550, message: 'mailbox unavailable' } : undefined) });
    try {
      const out = tempDir('kpiops-alert-send-');
      const env = { KPIOPS_SMTP_HOST: '127.0.0.1', KPIOPS_SMTP_PORT: String(server.port), KPIOPS_SMTP_FROM: 'Demo Pharma alerts <alerts@demo-pharma.example>', KPIOPS_SMTP_BACKOFF_MS: '10' };
      const send = (asOf: string) => kpiops(['alert', '--snapshot', snapshot, '--out', out, '--ledger', join(out, 'ledger.jsonl'), '--as-of', asOf, '--send', '-q'], env);
      const refused = await send('2026-10-02T06:00:00Z');
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toContain('luca.bianchi@demo-pharma.example');
      expect(server.received).toHaveLength(0);
      const owed = JSON.parse(readFileSync(join(out, 'alert-state.json'), 'utf8')) as { owed?: unknown[] };
      expect(owed.owed).toHaveLength(1);
      // The next day: the episode is the same and told already, but its email is still owed: sent now, once.
      const retried = await send('2026-10-03T06:00:00Z');
      expect(retried.code, retried.stderr).toBe(0);
      expect(server.received.map((r) => r.email)).toEqual(['luca.bianchi@demo-pharma.example']);
      const firing = await simpleParser(server.received[0]!.raw);
      expect(firing.subject).toBe('Firing: Email opens collapse — Brand neurexa: Email open rate');
      expect(firing.headers.get('x-kpiops-transition')).toBe('firing');
      // Again the same day: nothing.
      expect((await send('2026-10-03T07:00:00Z')).code).toBe(0);
      expect(server.received).toHaveLength(1);
      // October is quiet: one recovery, to the same recipient.
      const recovered = await send('2026-11-01T00:00:00Z');
      expect(recovered.code, recovered.stderr).toBe(0);
      expect(server.received.map((r) => r.email)).toEqual(['luca.bianchi@demo-pharma.example', 'luca.bianchi@demo-pharma.example']);
      expect((await simpleParser(server.received[1]!.raw)).subject).toBe('Recovered: Email opens collapse — Brand neurexa: Email open rate');
      expect((await send('2026-11-01T06:00:00Z')).code).toBe(0);
      expect(server.received).toHaveLength(2);
      expect((JSON.parse(readFileSync(join(out, 'alert-state.json'), 'utf8')) as { owed?: unknown[] }).owed).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe('kpiops alert over a rolling window of days', () => {
  it('sees the collapse in September\'s second week, three weeks before the monthly alert can; a KPI cut by the calendar is refused before anything runs', async () => {
    const { cpSync, writeFileSync } = await import('node:fs');
    const { REPO } = await import('../support/demo-project.js');
    const project = tempDir('kpiops-alert-project-');
    for (const f of ['kpiops.yaml', 'kpis', 'channels', 'scorecards']) cpSync(join(REPO, f), join(project, f), { recursive: true });
    cpSync(join(REPO, 'alerts'), join(project, 'alerts'), { recursive: true });
    writeFileSync(join(project, 'alerts', 'opens_28d.yaml'), [
      '# yaml-language-server: $schema=../schemas/alert.schema.json', 'version: kpiops/v1', 'id: opens_28d', 'title: Email opens over 28 days',
      'kpis: [email_open_rate]', 'when:', '  change: {vs: previous_period, spreads: 3}', 'grain: rolling_28d',
      'audience:', '  - {name: Luca Bianchi, email: luca.bianchi@demo-pharma.example, filter: {brand: neurexa}}', '',
    ].join('\n'));
    const r = await kpiops(['alert', '-p', project, '--snapshot', snapshot, '--out', tempDir('kpiops-alert-'), '--as-of', '2026-09-10T06:00:00Z', '--format', 'json', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as Run;
    // The 28 days to 9 September against the 28 before: neurexa 24.7 % → 17.4 %, 7.3 pp down, beyond 3 × its usual 2.0 pp.
    const opens = run.firing.find((f) => f.id === 'opens_28d' && f.kpi === 'email_open_rate');
    expect(opens?.slice).toEqual({ brand: 'neurexa' });
    expect(opens?.detail).toBe('Email open rate 17.4% in 2026-08-13..2026-09-09, down 7.3 pp from 24.7% in 2026-07-16..2026-08-12: more than 3 × its usual window-to-window move of 2.0 pp');
    // The monthly alert judges August as of 10 September: neurexa's collapse (in September) is not in it.
    expect(run.firing.some((f) => f.id === 'email_opens_collapse' && f.slice.brand === 'neurexa')).toBe(false);
    // Goal attainment counts toward quarterly goals: a window of days is refused by validation, naming the file and why.
    const alert = join(project, 'alerts', 'opens_28d.yaml');
    writeFileSync(alert, readFileSync(alert, 'utf8').replace('kpis: [email_open_rate]', 'kpis: [email_open_rate, goal_attainment]'));
    const refused = await kpiops(['alert', '-p', project, '--snapshot', snapshot, '--out', tempDir('kpiops-alert-'), '-q']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('KPI goal_attainment cannot be judged at grain rolling_28d: goal attainment counts points toward goals');
    expect(refused.stdout).toBe('');
  });
});
