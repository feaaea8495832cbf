import { createServer, type AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/deliver/decide.js';
import { Ledger } from '../../src/deliver/ledger.js';
import { deliver, smtpConfigFromEnv, type Outgoing, type SmtpConfig } from '../../src/deliver/smtp.js';
import { SMTP_VARIABLES } from '../../src/deliver/smtp-settings.js';
import { startSmtp, type Faults } from '../support/smtp.js';
import { removeTempDirs, tempDir } from '../support/snapshots.js';
import { REPO } from '../support/demo-project.js';

afterAll(removeTempDirs);

const message = (i: number): Outgoing => {
  const email = `rep${i}@demo-pharma.example`;
  const messageId = `<rep_weekly.2026-W43.${i}@demo-pharma.example>`;
  const eml = Buffer.from(`From: kpiops <scorecards@demo-pharma.example>\r\nTo: ${email}\r\nSubject: Your territory ${i}\r\nMessage-ID: ${messageId}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nScorecard ${i}\r\n`);
  return { scorecard: 'rep_weekly', period: '2026-W43', email, eml, messageId, contentHash: `c${i}`, valuesHash: `v${i}`, statusHash: `s${i}` };
};

const config = (port: number): SmtpConfig => ({
  host: '127.0.0.1', port, secure: false, requireTLS: false, from: 'kpiops <scorecards@demo-pharma.example>',
  maxConnections: 2, rateLimit: 0, timeoutMs: 2500, attempts: 4, backoffMs: 30, // timeouts generous enough for a busy CI machine
});

/** Sends what the ledger says is still owed, decided as `kpiops run --send` decides on a re-run. */
function owed(all: readonly Outgoing[], ledger: Ledger): Outgoing[] {
  return all.flatMap((m) => {
    const decision = decide(ledger, { ...m, when: 'always' }, { resendChanged: false, domain: 'demo-pharma.example' });
    if (decision.action === 'skip') return [];
    return [{ ...m, ...(decision.action === 'resend' ? { resend: true } : {}) }];
  });
}

async function scenario(faults: Faults, count = 8) {
  const server = await startSmtp(faults);
  const ledger = Ledger.open(join(tempDir('kpiops-ledger-'), 'ledger.jsonl'));
  const all = Array.from({ length: count }, (_, i) => message(i + 1));
  try {
    const first = await deliver(all, config(server.port), ledger);
    const second = await deliver(owed(all, ledger), config(server.port), ledger);
    return { server, ledger, all, first, second };
  } finally {
    await server.close();
  }
}

const status = (outcomes: Array<{ email: string; status: string }>) => Object.fromEntries(outcomes.map((o) => [o.email.replace('@demo-pharma.example', ''), o.status]));

describe('delivery through a real SMTP server, with faults', () => {
  it('a connection dropped after the 3rd message: the rest go out on a new connection, each exactly once', async () => {
    const { server, first, second } = await scenario({ dropAfterMessages: 3 });
    expect(Object.values(status(first))).toEqual(Array(8).fill('sent'));
    expect(second).toEqual([]);
    for (let i = 1; i <= 8; i++) expect(server.countFor(`rep${i}@demo-pharma.example`)).toBe(1);
  });

  it('421 and 451 for a while: retried with backoff until accepted, once', async () => {
    const { server, first } = await scenario({
      rcpt: (email, attempt) => (email.startsWith('rep2@') && attempt <= 2 ? { code: 451, message: 'Try again later' } : email.startsWith('rep5@') && attempt === 1 ? { code: 421, message: 'Too busy' } : undefined),
    });
    expect(first.find((o) => o.email.startsWith('rep2@'))).toMatchObject({ status: 'sent', attempts: 3 });
    expect(first.find((o) => o.email.startsWith('rep5@'))).toMatchObject({ status: 'sent', attempts: 2 });
    expect(server.rcptAttempts.get('rep2@demo-pharma.example')).toBe(3);
    for (let i = 1; i <= 8; i++) expect(server.countFor(`rep${i}@demo-pharma.example`)).toBe(1);
  });

  it('550 for one recipient: failed at once, not retried within the run, reported; the re-run tries it once more; the others sent once', async () => {
    const { server, ledger, first, second } = await scenario({ rcpt: (email) => (email.startsWith('rep4@') ? { code: 550, message: 'No such user here' } : undefined) });
    expect(first.find((o) => o.email.startsWith('rep4@'))).toMatchObject({ status: 'failed', attempts: 1, response: expect.stringMatching(/^550 No such user here/) });
    // One attempt in each run: a failed recipient is still owed, so the re-run asks the server again.
    expect(server.rcptAttempts.get('rep4@demo-pharma.example')).toBe(2);
    expect(ledger.get('rep_weekly', '2026-W43', 'rep4@demo-pharma.example')?.status).toBe('failed');
    expect(second).toEqual([expect.objectContaining({ email: 'rep4@demo-pharma.example', status: 'failed', attempts: 1 })]);
    for (const i of [1, 2, 3, 5, 6, 7, 8]) expect(server.countFor(`rep${i}@demo-pharma.example`)).toBe(1);
    expect(server.countFor('rep4@demo-pharma.example')).toBe(0);
  });

  it('dropped after the data, before the reply: unknown; the re-run resends it with the same Message-ID', async () => {
    const { server, ledger, first, second } = await scenario({ afterData: (email, n) => (email.startsWith('rep6@') && n === 1 ? 'drop' : 'accept') });
    expect(first.find((o) => o.email.startsWith('rep6@'))).toMatchObject({ status: 'unknown', attempts: 1 });
    expect(second).toEqual([expect.objectContaining({ email: 'rep6@demo-pharma.example', status: 'sent', resend: true })]);
    const copies = server.received.filter((r) => r.email === 'rep6@demo-pharma.example');
    expect(copies.map((c) => c.messageId)).toEqual(['<rep_weekly.2026-W43.6@demo-pharma.example>', '<rep_weekly.2026-W43.6@demo-pharma.example>']);
    expect(ledger.get('rep_weekly', '2026-W43', 'rep6@demo-pharma.example')?.status).toBe('sent');
    for (const i of [1, 2, 3, 4, 5, 7, 8]) expect(server.countFor(`rep${i}@demo-pharma.example`)).toBe(1);
  });

  it('accepted but never answered: a timeout after the data is unknown, not retried in the run', async () => {
    const { server, first, second } = await scenario({ afterData: (email, n) => (email.startsWith('rep3@') && n === 1 ? 'hang' : 'accept') });
    expect(first.find((o) => o.email.startsWith('rep3@'))).toMatchObject({ status: 'unknown', attempts: 1 });
    expect(server.countFor('rep3@demo-pharma.example')).toBe(2); // the hung copy and the re-run's, both with one Message-ID
    expect(second.map((o) => [o.email, o.status])).toEqual([['rep3@demo-pharma.example', 'sent']]);
    for (const i of [1, 2, 4, 5, 6, 7, 8]) expect(server.countFor(`rep${i}@demo-pharma.example`)).toBe(1);
  }, 20_000);
});

describe('all faults in one run, then a re-run', () => {
  it('everyone else gets their scorecard exactly once, the 550 is reported, uncertain ones are resent under one Message-ID', async () => {
    const { server, first, second } = await scenario({
      dropAfterMessages: 5,
      rcpt: (email, attempt) => (email.startsWith('rep4@') ? { code: 550, message: 'No such user here' } : email.startsWith('rep2@') && attempt <= 2 ? { code: 451, message: 'Try again later' } : undefined),
      afterData: (email, n) => (n > 1 ? 'accept' : email.startsWith('rep6@') ? 'drop' : email.startsWith('rep9@') ? 'hang' : 'accept'),
    }, 12);
    expect(status(first)).toMatchObject({ rep2: 'sent', rep4: 'failed', rep6: 'unknown', rep9: 'unknown' });
    expect(Object.values(status(first)).filter((x) => x === 'sent')).toHaveLength(9);
    // The re-run resends the two uncertain ones and tries the failed one again, which fails again.
    expect(second.map((o) => [o.email, o.status, o.resend]).sort()).toEqual([['rep4@demo-pharma.example', 'failed', undefined], ['rep6@demo-pharma.example', 'sent', true], ['rep9@demo-pharma.example', 'sent', true]]);
    for (const i of [1, 2, 3, 5, 7, 8, 10, 11, 12]) expect(server.countFor(`rep${i}@demo-pharma.example`)).toBe(1);
    expect(server.countFor('rep4@demo-pharma.example')).toBe(0);
    for (const i of [6, 9]) expect(new Set(server.received.filter((r) => r.email === `rep${i}@demo-pharma.example`).map((r) => r.messageId)).size).toBe(1);
  }, 30_000);
});

describe('SMTP settings', () => {
  it('come from KPIOPS_SMTP_* and name the variable that is wrong', () => {
    expect(smtpConfigFromEnv({})).toEqual({ problem: 'KPIOPS_SMTP_HOST is not set: say which SMTP server to send through' });
    expect(smtpConfigFromEnv({ KPIOPS_SMTP_HOST: 'smtp.example.com', KPIOPS_SMTP_FROM: 'a@example.com', KPIOPS_SMTP_PORT: 'twenty-five' })).toEqual({ problem: 'KPIOPS_SMTP_PORT must be a whole number from 1 to 65535 (got "twenty-five")' });
    expect(smtpConfigFromEnv({ KPIOPS_SMTP_HOST: 'smtp.example.com', KPIOPS_SMTP_FROM: 'a@example.com', KPIOPS_SMTP_USER: 'bot' })).toEqual({ problem: 'KPIOPS_SMTP_USER and KPIOPS_SMTP_PASSWORD go together: set both or neither' });
    expect(smtpConfigFromEnv({ KPIOPS_SMTP_HOST: 'smtp.example.com', KPIOPS_SMTP_FROM: 'a@example.com', KPIOPS_SMTP_PORT: '465' })).toMatchObject({ port: 465, secure: true, requireTLS: false, maxConnections: 3, attempts: 4 });
  });

  it('are read under exactly the names that --help and the README list', () => {
    const read = new Set<string>();
    const env = new Proxy({ KPIOPS_SMTP_HOST: 'h', KPIOPS_SMTP_FROM: 'a@example.com', KPIOPS_SMTP_USER: 'u', KPIOPS_SMTP_PASSWORD: 'p' } as NodeJS.ProcessEnv, {
      get: (target, name) => { read.add(String(name)); return target[String(name)]; },
    });
    expect(smtpConfigFromEnv(env)).not.toHaveProperty('problem');
    expect([...read].sort()).toEqual(SMTP_VARIABLES.map(([name]) => name).sort());
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    for (const [name] of SMTP_VARIABLES) expect(readme, name).toContain(`\`${name}\``);
  });
});

/** A port on 127.0.0.1 with nothing listening: taken from the system, then let go. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('a server that cannot be reached or will not let kpiops in', () => {
  // One connection, 3 attempts and a 20 ms backoff: the first message tries 3 times
  // (waits 20 + 40 = 60 ms), then the server counts as down and the others fail untried.
  const unreachable = (port: number): SmtpConfig => ({ ...config(port), maxConnections: 1, attempts: 3, backoffMs: 20 });
  const run = async (cfg: SmtpConfig) => {
    const ledger = Ledger.open(join(tempDir('kpiops-ledger-'), 'ledger.jsonl'));
    const outcomes = await deliver([message(1), message(2), message(3)], cfg, ledger);
    return { outcomes, ledger };
  };
  const expectAllFailed = (outcomes: Awaited<ReturnType<typeof run>>['outcomes'], ledger: Ledger, where: string, reason: RegExp) => {
    expect(outcomes.map((o) => [o.email, o.status, o.attempts, o.unreachable])).toEqual([
      ['rep1@demo-pharma.example', 'failed', 3, where], ['rep2@demo-pharma.example', 'failed', 0, where], ['rep3@demo-pharma.example', 'failed', 0, where],
    ]);
    expect(outcomes[0]!.response).toMatch(reason);
    expect(outcomes[0]!.response).toMatch(/\(gave up after 3 attempts\)$/);
    for (const o of outcomes) expect(o.response).toContain(`the SMTP server ${where} `);
    for (let i = 1; i <= 3; i++) expect(ledger.get('rep_weekly', '2026-W43', `rep${i}@demo-pharma.example`)?.status).toBe('failed');
  };

  it('nothing listening on the port: each message fails with the server named, after the configured attempts', async () => {
    const port = await freePort();
    const { outcomes, ledger } = await run(unreachable(port));
    expectAllFailed(outcomes, ledger, `127.0.0.1:${port}`, /could not be reached: connect ECONNREFUSED/);
  });

  it('plain SMTP on a port the client expects TLS on: the handshake fails, retried, then reported', async () => {
    const server = await startSmtp();
    try {
      const { outcomes, ledger } = await run({ ...unreachable(server.port), secure: true });
      expectAllFailed(outcomes, ledger, `127.0.0.1:${server.port}`, /could not be reached: TLS handshake failed: wrong version number \(is it the right port for implicit TLS\?\)/);
      expect(server.received).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('a TLS server whose certificate the client does not trust: reported, nothing sent', async () => {
    const server = await startSmtp({ secure: true });
    try {
      const { outcomes, ledger } = await run({ ...unreachable(server.port), secure: true });
      expectAllFailed(outcomes, ledger, `127.0.0.1:${server.port}`, /could not be reached: TLS handshake failed: .*certificate/);
      expect(server.received).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('wrong credentials: the login is tried the configured number of times, then every message is reported failed', async () => {
    const server = await startSmtp({ login: { user: 'kpiops', pass: 'right' } });
    try {
      const { outcomes, ledger } = await run({ ...unreachable(server.port), user: 'kpiops', password: 'wrong' });
      expectAllFailed(outcomes, ledger, `127.0.0.1:${server.port}`, /refused the login of kpiops: .*535 Authentication credentials invalid/);
      expect(server.logins).toEqual(['kpiops', 'kpiops', 'kpiops']);
      expect(server.received).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('the right credentials: logged in once, every message sent', async () => {
    const server = await startSmtp({ login: { user: 'kpiops', pass: 'right' } });
    try {
      const { outcomes } = await run({ ...unreachable(server.port), user: 'kpiops', password: 'right' });
      expect(outcomes.map((o) => o.status)).toEqual(['sent', 'sent', 'sent']);
      expect(server.logins).toEqual(['kpiops']);
    } finally {
      await server.close();
    }
  });
});

describe('the Date header', () => {
  it('is the time the message is handed to the server, not the date the outbox copy carries; the Message-ID stays', async () => {
    const server = await startSmtp();
    try {
      const m = message(1);
      const dated = { ...m, eml: Buffer.from(m.eml.toString().replace('Subject:', 'Date: Sun, 01 Nov 2026 00:00:00 +0000\r\nSubject:')) };
      const before = Date.now();
      await deliver([dated], config(server.port), Ledger.open(join(tempDir('kpiops-ledger-'), 'ledger.jsonl')));
      const raw = server.received[0]!.raw.toString('latin1');
      const date = Date.parse(/^Date: (.+)\r$/m.exec(raw)![1]!);
      // RFC 5322 dates have whole seconds: the header may read up to 1 s before `before`.
      expect(date).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(date).toBeLessThanOrEqual(Date.now());
      expect(raw.match(/^Date:/gm)).toHaveLength(1);
      expect(server.received[0]!.messageId).toBe(m.messageId);
    } finally {
      await server.close();
    }
  });
});
