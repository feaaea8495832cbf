import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateProject } from '../../src/validate/project.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { editedCopy, load, removeTempDirs, tempDir } from '../support/snapshots.js';

const FIXTURE = join(REPO, 'test/fixtures/presets/veeva_crm');
const SNAPSHOT = join(FIXTURE, 'snapshot');
afterAll(removeTempDirs);

/** A copy of the fixture project with kpiops.yaml edited. */
function editedProject(edit: (yaml: string) => string): string {
  const dir = tempDir('kpiops-preset-');
  cpSync(FIXTURE, dir, { recursive: true });
  const file = join(dir, 'kpiops.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

describe('the Veeva CRM presets (call2, sent_email, email_activity)', async () => {
  const project = await validateProject(FIXTURE);

  it('validates, and expands into the preset\'s mappings with the team\'s brand column beside them', async () => {
    expect(project.diagnostics).toEqual([]);
    const calls = project.files.project!.spec.sources.interactions!.exports!.calls!;
    expect(Object.keys(calls.columns!).sort()).toEqual(['brand', 'channel', 'event', 'event_id', 'hcp_id', 'message_id', 'occurred_at']);
    expect(calls.columns!.brand).toEqual({ from: 'Product_vod__c', map: { 'Cardiora 10mg': 'cardiora', 'Neurexa XR': 'neurexa' } });
  });

  it('builds exactly the canonical interactions the Call2_vod__c, Sent_Email_vod__c and Email_Activity_vod__c exports describe', async () => {
    const loaded = await load(project, SNAPSHOT);
    try {
      expect(loaded.diagnostics).toEqual([]);
      const rows = await loaded.db.all("SELECT event_id, message_id, hcp_id, strftime(occurred_at, '%Y-%m-%d') AS day, channel, event, brand FROM interactions WHERE channel <> 'email' ORDER BY event_id");
      // Face_to_face_vod → rep_visit, Video_vod → remote_detail; Call_Type_vod "… Detail …" → detailed,
      // "Call Only" → visited; the attendee a0C…3 of the group call a0C…2 shares its parent's touch.
      expect(rows).toEqual([
        { event_id: 'a0C000000000001', message_id: 'a0C000000000001', hcp_id: 'H001', day: '2026-10-01', channel: 'rep_visit', event: 'detailed', brand: 'cardiora' },
        { event_id: 'a0C000000000002', message_id: 'a0C000000000002', hcp_id: 'H002', day: '2026-10-07', channel: 'rep_visit', event: 'detailed', brand: 'neurexa' },
        { event_id: 'a0C000000000003', message_id: 'a0C000000000002', hcp_id: 'H003', day: '2026-10-07', channel: 'rep_visit', event: 'detailed', brand: 'neurexa' },
        { event_id: 'a0C000000000004', message_id: 'a0C000000000004', hcp_id: 'H001', day: '2026-10-20', channel: 'remote_detail', event: 'visited', brand: null },
        { event_id: 'a0C000000000005', message_id: 'a0C000000000005', hcp_id: 'H004', day: '2026-10-21', channel: 'remote_detail', event: 'detailed', brand: 'cardiora' },
      ]);
      const emails = await loaded.db.all("SELECT event_id, message_id, hcp_id, strftime(occurred_at, '%Y-%m-%d %H:%M') AS at, event, bot FROM interactions WHERE channel = 'email' ORDER BY event_id");
      // Status_vod: Delivered_vod and Unsubscribed_vod (an unsubscribe comes from a delivered email) → delivered;
      // Bounced_vod and Dropped_vod (never reached the inbox) → bounced.
      expect(emails).toEqual([
        { event_id: 'a0E000000000001', message_id: 'a0E000000000001', hcp_id: 'H001', at: '2026-10-02 08:15', event: 'delivered', bot: null },
        { event_id: 'a0E000000000002', message_id: 'a0E000000000002', hcp_id: 'H002', at: '2026-10-02 08:16', event: 'bounced', bot: null },
        { event_id: 'a0E000000000003', message_id: 'a0E000000000003', hcp_id: 'H005', at: '2026-10-09 14:00', event: 'delivered', bot: null },
        { event_id: 'a0E000000000004', message_id: 'a0E000000000004', hcp_id: 'H003', at: '2026-10-09 14:01', event: 'bounced', bot: null },
        // Email activity: the touch is the send, the HCP is the send's account; Bot_vod "apple" is a mail scanner.
        { event_id: 'a0F000000000001', message_id: 'a0E000000000001', hcp_id: 'H001', at: '2026-10-02 08:15', event: 'delivered', bot: null },
        { event_id: 'a0F000000000002', message_id: 'a0E000000000001', hcp_id: 'H001', at: '2026-10-02 09:00', event: 'opened', bot: null },
        { event_id: 'a0F000000000003', message_id: 'a0E000000000001', hcp_id: 'H001', at: '2026-10-02 09:01', event: 'clicked', bot: null },
        { event_id: 'a0F000000000004', message_id: 'a0E000000000003', hcp_id: 'H005', at: '2026-10-09 14:00', event: 'opened', bot: true },
      ]);
    } finally {
      loaded.db.close();
    }
  });

  it('evaluates the fixture\'s KPIs to the values computed by hand', async () => {
    const out = join(tempDir('kpiops-preset-results-'), 'results.json');
    const run = await kpiops(['eval', '-p', FIXTURE, '--snapshot', SNAPSHOT, '--period', '2026-10', '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { kpis: Array<{ id: string; slices: Array<{ value: number; components: Record<string, number> }> }> };
    const value = (id: string) => results.kpis.find((k) => k.id === id)!.slices[0]!;
    // Reach: target HCPs H001, H002, H003, H005; engaged: H001 (detail, and an open), H002 and H003 (group detail);
    // H005's only open is a mail scanner's (Bot_vod apple), which never engages → 3 / 4 = 0.75.
    expect(value('reach')).toMatchObject({ value: 0.75, components: { reached: 3, population: 4 } });
    // Call touches are per HCP and call: 5; detailed: all but H001's "Call Only" video call → 4 / 5 = 0.8.
    expect(value('detail_rate')).toMatchObject({ value: 0.8, components: { numerator: 4, denominator: 5 } });
    // Video_vod calls: a0C…4 and a0C…5 → 2 / 5 = 0.4.
    expect(value('remote_share')).toMatchObject({ value: 0.4, components: { numerator: 2, denominator: 5 } });
    // Emails: 4 sent, delivered a0E…1 and a0E…3 (unsubscribed after delivery) → 2 / 4 = 0.5.
    expect(value('email_delivery_rate')).toMatchObject({ value: 0.5, components: { numerator: 2, denominator: 4 } });
    // Delivered touches: (H001, a0E…1) and (H005, a0E…3); opened by a person: only H001's (H005's open is a bot) → 1 / 2 = 0.5.
    expect(value('email_open_rate')).toMatchObject({ value: 0.5, components: { numerator: 1, denominator: 2 } });
  });

  it('names the preset, the export and the field when the export lacks a field the preset needs, and computes no number', async () => {
    const broken = editedCopy(SNAPSHOT, 'calls', (csv) => csv.replace('Call_Channel_vod__c', 'Channel'));
    const loaded = await load(project, broken);
    try {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.table, d.column, d.message])).toEqual([
        ['data/missing-column', 'calls', 'Call_Channel_vod__c', 'Export calls has no column Call_Channel_vod__c, which preset veeva_crm/call2 needs for channel: export the field, or map that column yourself under the export\'s `columns`.'],
      ]);
      expect([...loaded.failed]).toEqual(['interactions']);
    } finally {
      loaded.db.close();
    }
    const run = await kpiops(['eval', '-p', FIXTURE, '--snapshot', broken, '--period', '2026-10', '-q']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('which preset veeva_crm/call2 needs for channel');
  });

  it('refuses an email activity whose send is not in the snapshot, rather than count it without its HCP', async () => {
    const broken = editedCopy(SNAPSHOT, 'email_activity', (csv) => `${csv}a0F000000000005,a0E000000000009,Opened_vod,2026-10-10T10:00:00Z,,\n`);
    const loaded = await load(project, broken);
    try {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.table, d.column, d.message])).toEqual([
        ['data/lookup-unmatched', 'email_activity', 'hcp_id', 'Export email_activity, column hcp_id: 1 row names a Sent_Email_vod__c that sent_emails does not have as its Id, e.g. "a0E000000000009"; export the rows they belong to (they would count without their hcp_id).'],
      ]);
      expect([...loaded.failed]).toEqual(['interactions']);
    } finally {
      loaded.db.close();
    }
  });

  it('asks for the Sent_Email_vod__c export when the email activity preset has none to take the HCP from', async () => {
    const dir = editedProject((y) => y.replace('      sent_emails:\n', '      sends:\n').replace('preset: veeva_crm/sent_email', 'preset: veeva_crm/call2'));
    const broken = await validateProject(dir);
    expect(broken.diagnostics.filter((d) => d.code === 'project/preset-lookup').map((d) => [d.range.start.line + 1, d.message])).toEqual([
      [44, 'Preset veeva_crm/email_activity takes hcp_id from the export built by preset veeva_crm/sent_email, and no export uses that preset: add that export (exactly one), or map hcp_id yourself under the export\'s `columns`.'],
    ]);
  });

  it('names both columns a missing field feeds: an email activity\'s send gives its touch and its HCP', async () => {
    const broken = editedCopy(SNAPSHOT, 'email_activity', (csv) => csv.replace('Sent_Email_vod__c', 'Sent_Email'));
    const loaded = await load(project, broken);
    try {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
        'Export email_activity has no column Sent_Email_vod__c, which preset veeva_crm/email_activity needs for message_id, hcp_id: export the field, or map those columns yourself under the export\'s `columns`.',
      ]);
    } finally {
      loaded.db.close();
    }
  });

  it('does not blame the preset for a field the team\'s own column reads', async () => {
    const broken = editedCopy(SNAPSHOT, 'calls', (csv) => csv.replace('Product_vod__c', 'Product'));
    const loaded = await load(project, broken);
    try {
      expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual(['Table calls has no column Product_vod__c.']);
    } finally {
      loaded.db.close();
    }
  });

  it('reports an unknown preset name at its line and column, with the name meant', async () => {
    const dir = editedProject((y) => y.replace('preset: veeva_crm/call2', 'preset: veeva_crm/call'));
    const broken = await validateProject(dir);
    expect(broken.diagnostics.map((d) => [d.code, d.file, d.range.start.line + 1, d.range.start.character + 1, d.message])).toEqual([
      ['schema/enum', 'kpiops.yaml', 35, 17, '"veeva_crm/call" is not allowed here; use one of: veeva_crm/call2, veeva_crm/sent_email, veeva_crm/email_activity, veeva_crm/suggestion, salesforce_lsc/visit, rx_wide/trx, qualtrics/survey_wide. Did you mean "veeva_crm/call2"?'],
    ]);
  });

  it('reports a column the preset maps that the source does not declare, at the preset', async () => {
    const dir = editedProject((y) => y.replace('      message_id: {type: string}\n', '').replace('    touch: message_id\n', ''));
    const broken = await validateProject(dir);
    // (The KPIs counting touches also say the source lost its touch column.)
    expect(broken.diagnostics.filter((d) => d.file === 'kpiops.yaml').map((d) => [d.code, d.range.start.line + 1, d.message])).toEqual([
      ['project/preset-column', 33, 'Preset veeva_crm/call2 maps column message_id of the interactions table, which source interactions does not declare; declare it, or replace it under the export\'s `columns`.'],
      ['project/preset-column', 39, 'Preset veeva_crm/sent_email maps column message_id of the interactions table, which source interactions does not declare; declare it, or replace it under the export\'s `columns`.'],
      ['project/preset-column', 42, 'Preset veeva_crm/email_activity maps column message_id of the interactions table, which source interactions does not declare; declare it, or replace it under the export\'s `columns`.'],
    ]);
  });

  it('points at the preset when its map gives a channel the project does not define, naming the preset', async () => {
    const dir = editedProject((y) => y);
    rmSync(join(dir, 'channels/remote_detail.yaml'));
    const broken = await validateProject(dir);
    // (The fixture's KPIs naming remote_detail are reported in their own files.)
    expect(broken.diagnostics.filter((d) => d.file === 'kpiops.yaml').map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1, d.message])).toEqual([
      ['project/export-value', 35, 17, 'Preset veeva_crm/call2 maps a value onto "remote_detail", which is not a valid value of interactions.channel: define it (a channel file, a declared value), or map the column yourself under the export\'s `columns`.'],
    ]);
  });

  it('lets the team replace one of the preset\'s columns', async () => {
    const dir = editedProject((y) => y.replace('          brand:', '          channel: {constant_channel}\n          brand:').replace('{constant_channel}', '{value: rep_visit}'));
    const replaced = await validateProject(dir);
    expect(replaced.diagnostics).toEqual([]);
    const loaded = await load(replaced, SNAPSHOT);
    try {
      // Every call now counts as a rep visit, the video calls too.
      expect(await loaded.db.all("SELECT channel, count(*)::INTEGER AS n FROM interactions WHERE event_id LIKE 'a0C%' GROUP BY channel")).toEqual([{ channel: 'rep_visit', n: 5 }]);
    } finally {
      loaded.db.close();
    }
  });

  it('requires columns of an export that names no preset', async () => {
    const dir = editedProject((y) => y.replace('        preset: veeva_crm/call2\n', '').replace(/        columns:\n.*\n.*\n/, ''));
    const broken = await validateProject(dir);
    expect(broken.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['schema/required', 'Missing required key "columns" in export calls (an export needs `columns`, or a `preset` that gives them).'],
    ]);
  });
});
