import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../src/alerts/message.js';
import { writeAlertOutbox } from '../../src/deliver/alert-outbox.js';
import { alertMessageId, type Sender } from '../../src/deliver/compose.js';
import { Ledger } from '../../src/deliver/ledger.js';
import type { SmtpConfig } from '../../src/deliver/smtp-settings.js';
import { compileTemplateSource, type CompiledTemplates } from '../../src/render/render.js';
import { alertEmails, sendAlerts, type AlertSendOptions } from '../../src/pipeline/send-alerts.js';
import { templateSource } from '../../src/source/templates.js';
import { startSmtp, type Faults } from '../support/smtp.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';
import { firing, recovered, reminder } from './messages.js';

let templates: CompiledTemplates;
beforeAll(async () => {
  templates = await compileTemplateSource('alert', templateSource());
});
afterAll(removeTempDirs);

const FROM = 'Demo Pharma analytics <alerts@demo-pharma.example>';
const sender: Sender = { from: FROM };
const CLARA = { name: 'Clara Weiss', email: 'clara.weiss@demo-pharma.example' };
const LUCA = firing().recipient;

const config = (port: number): SmtpConfig => ({
  host: '127.0.0.1', port, secure: false, requireTLS: false, from: FROM,
  maxConnections: 1, rateLimit: 0, timeoutMs: 2500, attempts: 2, backoffMs: 10,
});

const emails = (messages: readonly AlertMessage[]) => alertEmails(templates, messages, sender, new Date('2026-12-04T06:00:05.000Z'));

/** One place that sends: a ledger and an outbox folder kept across runs, and what each run printed. */
function sendingPlace() {
  const dir = tempDir('kpiops-alert-send-');
  const options = (port: number, over: Partial<AlertSendOptions> = {}): AlertSendOptions => ({
    dryRun: false, ledger: join(dir, 'ledger.jsonl'), out: join(dir, 'outbox'), smtp: config(port),
    lockProcess: { pid: process.pid, alive: () => true }, lockWaitMs: 2000, ...over,
  });
  const run = async (port: number, messages: readonly AlertMessage[], over: Partial<AlertSendOptions> = {}) => {
    let stderr = '';
    const err = { write: (s: string) => { stderr += s; return true; } } as unknown as NodeJS.WritableStream;
    const code = await sendAlerts(await emails(messages), options(port, over), sender, {}, err);
    return { code, stderr };
  };
  return { dir, run, ledger: () => Ledger.open(join(dir, 'ledger.jsonl')) };
}

async function withServer<T>(faults: Faults, body: (server: Awaited<ReturnType<typeof startSmtp>>) => Promise<T>): Promise<T> {
  const server = await startSmtp(faults);
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

/** A port nobody listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('alert emails are sent exactly once', () => {
  it('sending the same notices twice sends nothing the second time', async () => {
    const place = sendingPlace();
    await withServer({}, async (server) => {
      const notices = [firing(), firing({ recipient: CLARA, slice_label: 'Brand cardiora', episode: 'email_opens_collapse|brand=cardiora|2026-12-04T06:00:00.000Z' })];
      const first = await place.run(server.port, notices);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toContain('✔ 2 sent, 0 skipped, 0 failed');
      const second = await place.run(server.port, notices);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).toContain('✔ 0 sent, 2 skipped, 0 failed');
      expect(second.stderr).toMatch(/skipped luca\.bianchi@demo-pharma\.example alert:email_opens_collapse email_opens_collapse\|brand=neurexa\|2026-12-04T06:00:00\.000Z#firing#0: already sent on 20\d\d-/);
      expect(server.received.map((r) => r.email).sort()).toEqual([CLARA.email, LUCA.email]);
      const mail = await simpleParser(server.received.find((r) => r.email === LUCA.email)!.raw);
      expect(mail.subject).toBe('Firing: Email opens collapse — Brand neurexa: Email open rate');
      expect(mail.messageId).toBe(alertMessageId(firing(), 'demo-pharma.example'));
    });
    expect(place.ledger().get('alert:email_opens_collapse', 'email_opens_collapse|brand=neurexa|2026-12-04T06:00:00.000Z#firing#0', LUCA.email)?.status).toBe('sent');
  });

  it('a recovery after a firing sends exactly one more message, in the same thread', async () => {
    const place = sendingPlace();
    await withServer({}, async (server) => {
      await place.run(server.port, [firing()]);
      // The next evaluation's notices: the firing is told already, the recovery is new.
      const next = await place.run(server.port, [firing(), recovered()]);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).toContain('✔ 1 sent, 1 skipped, 0 failed');
      expect(server.countFor(LUCA.email)).toBe(2);
      const [told, back] = await Promise.all(server.received.map((r) => simpleParser(r.raw)));
      expect(back!.subject).toBe('Recovered: Email opens collapse — Brand neurexa: Email open rate');
      expect(back!.inReplyTo).toBe(told!.messageId);
      expect(await place.run(server.port, [firing(), recovered()])).toMatchObject({ code: 0 });
      expect(server.countFor(LUCA.email)).toBe(2);
    });
  });

  it('a reminder (sequence 1) is a new message; the second reminder another', async () => {
    const place = sendingPlace();
    await withServer({}, async (server) => {
      await place.run(server.port, [firing()]);
      const again = await place.run(server.port, [reminder()]);
      expect(again.stderr).toContain('✔ 1 sent, 0 skipped, 0 failed');
      await place.run(server.port, [reminder(), reminder({ sequence: 2, transition_label: 'Still firing (reminder 2)' })]);
      expect(server.received.map((r) => r.messageId)).toEqual([
        alertMessageId(firing(), 'demo-pharma.example'), alertMessageId(reminder(), 'demo-pharma.example'), alertMessageId(reminder({ sequence: 2 }), 'demo-pharma.example'),
      ]);
      expect(new Set(server.received.map((r) => r.messageId)).size).toBe(3);
    });
  });

  it('a refused connection names the recipient, fails the run and is recorded as failed; the next run sends it', async () => {
    const place = sendingPlace();
    const refused = await place.run(await closedPort(), [firing()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/✖ luca\.bianchi@demo-pharma\.example alert:email_opens_collapse \S+#firing#0: failed — not sent: the SMTP server 127\.0\.0\.1:\d+ could not be reached: .*ECONNREFUSED/);
    expect(refused.stderr).toContain('1 of 1 recipients not sent, recorded as failed');
    expect(refused.stderr).toContain('✖ 0 sent, 0 skipped, 1 failed');
    expect(place.ledger().get('alert:email_opens_collapse', `${firing().episode}#firing#0`, LUCA.email)?.status).toBe('failed');
    // A failed one is owed again.
    await withServer({}, async (server) => {
      expect(await place.run(server.port, [firing()])).toMatchObject({ code: 0 });
      expect(server.countFor(LUCA.email)).toBe(1);
    });
  });

  it('a 550 for one recipient: that one fails by name, the other is sent', async () => {
    const place = sendingPlace();
    await withServer({ rcpt: (email) => (email === CLARA.email ? { code: 550, message: 'No such user here' } : undefined) }, async (server) => {
      const run = await place.run(server.port, [firing(), firing({ recipient: CLARA })]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('✖ clara.weiss@demo-pharma.example alert:email_opens_collapse');
      expect(run.stderr).toMatch(/failed — 550 No such user here/);
      expect(run.stderr).toContain('✖ 1 sent, 0 skipped, 1 failed');
      expect(server.countFor(LUCA.email)).toBe(1);
      expect(server.countFor(CLARA.email)).toBe(0);
    });
    expect(place.ledger().get('alert:email_opens_collapse', `${firing().episode}#firing#0`, CLARA.email)?.status).toBe('failed');
  });

  it('an uncertain delivery (dropped after the data) is resent with the same Message-ID', async () => {
    const place = sendingPlace();
    await withServer({ afterData: (_email, count) => (count === 1 ? 'drop' : 'accept') }, async (server) => {
      const first = await place.run(server.port, [firing()]);
      expect(first.code).toBe(1);
      expect(first.stderr).toContain('unknown');
      const second = await place.run(server.port, [firing()]);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).toContain('resent with the same Message-ID');
      expect(server.received.map((r) => r.messageId)).toEqual([alertMessageId(firing(), 'demo-pharma.example'), alertMessageId(firing(), 'demo-pharma.example')]);
    });
  });

  it('one recipient told of two slices of one alert gets both, each under its own Message-ID in the delivery report', async () => {
    const place = sendingPlace();
    const cardiora = firing({ slice_label: 'Brand cardiora', episode: 'email_opens_collapse|brand=cardiora|2026-12-04T06:00:00.000Z' });
    await withServer({}, async (server) => {
      const run = await place.run(server.port, [firing(), cardiora]);
      expect(run.stderr).toContain('✔ 2 sent, 0 skipped, 0 failed');
      expect(server.countFor(LUCA.email)).toBe(2);
    });
    const report = JSON.parse(readFileSync(join(place.dir, 'outbox', 'delivery-report.json'), 'utf8')) as { entries: Array<{ period: string; message_id: string }> };
    expect(Object.fromEntries(report.entries.map((e) => [e.period, e.message_id]))).toEqual({
      [`${firing().episode}#firing#0`]: alertMessageId(firing(), 'demo-pharma.example'),
      [`${cardiora.episode}#firing#0`]: alertMessageId(cardiora, 'demo-pharma.example'),
    });
  });

  it('the same recipient twice in one run is told once', async () => {
    const place = sendingPlace();
    await withServer({}, async (server) => {
      const run = await place.run(server.port, [firing(), firing({ recipient: { name: 'Luca', email: 'Luca.Bianchi@demo-pharma.example' } })]);
      expect(run.stderr).toContain('✔ 1 sent, 1 skipped, 0 failed');
      expect(server.countFor(LUCA.email)).toBe(1);
    });
  });

  it('a dry run sends nothing and records nothing; the outbox holds each email to read', async () => {
    const place = sendingPlace();
    const run = await place.run(await closedPort(), [firing(), recovered()], { dryRun: true, smtp: undefined });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('✔ dry run: 2 would be sent, 0 skipped');
    expect(existsSync(join(place.dir, 'ledger.jsonl'))).toBe(false);

    const out = join(place.dir, 'alerts');
    const entries = writeAlertOutbox(out, await emails([firing(), recovered()]));
    expect(entries.map((e) => [e.transition, e.subject])).toEqual([
      ['firing', 'Firing: Email opens collapse — Brand neurexa: Email open rate'],
      ['recovered', 'Recovered: Email opens collapse — Brand neurexa: Email open rate'],
    ]);
    expect(entries[0]!.message_id).toBe(alertMessageId(firing(), 'demo-pharma.example'));
    for (const e of entries) for (const file of Object.values(e.files)) expect(existsSync(file), file).toBe(true);
    expect(entries[0]!.files.eml).toMatch(/alerts\/alert-email_opens_collapse\/firing-[0-9a-f]{12}\/luca\.bianchi_at_demo-pharma\.example-[0-9a-f]{8}\.eml$/);
    expect(readFileSync(entries[1]!.files.text, 'utf8')).toMatch(/^RECOVERED: Email opens collapse\n/);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({ version: 'alert-outbox/v1', entries: [{ id: 'email_opens_collapse' }, { id: 'email_opens_collapse' }] });
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('| alert email\\_opens\\_collapse | recovered | Luca Bianchi <luca.bianchi@\u2060demo-pharma.example> | Recovered: Email opens collapse — Brand neurexa: Email open rate |');
  });
});
