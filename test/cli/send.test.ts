import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTP_VARIABLES } from '../../src/deliver/smtp-settings.js';
import { kpiops } from '../support/cli.js';
import { REPO } from '../support/demo-project.js';
import { startSmtp } from '../support/smtp.js';
import { removeTempDirs, smallCsvSample, tempDir } from '../support/snapshots.js';

let sample: string;
let server: Awaited<ReturnType<typeof startSmtp>>;
beforeAll(async () => {
  sample = await smallCsvSample();
  server = await startSmtp();
}, 60_000);
afterAll(async () => {
  await server?.close();
  removeTempDirs();
});

describe('kpiops run --send', () => {
  it('sends each brand lead their own scorecard once, with its HTML, text, inline charts and headers; a re-run sends nothing', async () => {
    const out = join(tempDir('kpiops-send-'), 'outbox');
    const summary = join(tempDir('kpiops-summary-'), 'summary.md');
    const env = {
      KPIOPS_SMTP_HOST: '127.0.0.1', KPIOPS_SMTP_PORT: String(server.port), KPIOPS_SMTP_FROM: 'Demo Pharma analytics <scorecards@demo-pharma.example>',
      KPIOPS_SMTP_REPLY_TO: 'analytics@demo-pharma.example', KPIOPS_SMTP_LIST_UNSUBSCRIBE: 'mailto:analytics@demo-pharma.example?subject=unsubscribe',
      KPIOPS_SMTP_BACKOFF_MS: '10', GITHUB_STEP_SUMMARY: summary,
    };
    const started = Math.floor(Date.now() / 1000) * 1000; // Date headers have whole seconds
    const first = await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '--send', '-q'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('✔ 3 sent, 0 skipped, 0 failed');
    const leads = ['clara.weiss@demo-pharma.example', 'luca.bianchi@demo-pharma.example', 'ines.navarro@demo-pharma.example'];
    expect(server.received.map((r) => r.email).sort()).toEqual([...leads].sort());
    for (const r of server.received) {
      const mail = await simpleParser(r.raw, { keepCidLinks: true });
      // The right recipient only, in the envelope and in the header.
      expect(mail.to && 'value' in mail.to ? mail.to.value.map((v) => v.address) : []).toEqual([r.email]);
      expect(mail.from?.value[0]?.address).toBe('scorecards@demo-pharma.example');
      expect(mail.replyTo?.value[0]?.address).toBe('analytics@demo-pharma.example');
      expect(r.raw.toString('latin1')).toMatch(/^List-Unsubscribe:\s+<mailto:analytics@demo-pharma.example\?subject=unsubscribe>\r$/m); // folded when long
      expect(mail.messageId).toMatch(/^<brand_monthly\.2026-10\.[0-9a-f]{32}@demo-pharma\.example>$/);
      // Dated when sent (the origination date), not by the data's as-of date (1 Nov 2026) that the outbox copy keeps.
      expect(mail.date!.getTime()).toBeGreaterThanOrEqual(started);
      expect(mail.date!.getTime()).toBeLessThanOrEqual(Date.now());
      expect(String(mail.html)).toContain('Brand monthly omnichannel scorecard');
      expect(mail.text).toContain('AT A GLANCE');
      const cids = [...String(mail.html).matchAll(/src="cid:([^"]+)"/g)].map((m) => m[1]);
      expect(cids.length).toBeGreaterThan(3);
      expect(new Set(mail.attachments.map((a) => a.cid))).toEqual(new Set(cids));
      expect(mail.attachments.every((a) => a.contentType === 'image/png' && a.content.subarray(1, 4).toString() === 'PNG')).toBe(true);
    }
    // Each lead sees their own brand.
    const brands = await Promise.all(server.received.map(async (r) => [r.email, /^Brand (\w+) · 2026-10 · for /m.exec(String((await simpleParser(r.raw)).text))?.[1]]));
    expect(Object.fromEntries(brands)).toEqual({ 'clara.weiss@demo-pharma.example': 'cardiora', 'luca.bianchi@demo-pharma.example': 'neurexa', 'ines.navarro@demo-pharma.example': 'pulmivo' });
    expect(readFileSync(summary, 'utf8')).toContain('## kpiops delivery');
    const outboxCopy = (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { entries: Array<{ files: { eml: string } }> }).entries[0]!.files.eml;
    expect(readFileSync(outboxCopy, 'latin1')).toMatch(/^Date: Sun, 01 Nov 2026 00:00:00 \+0000\r$/m);

    const again = await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '--send', '-q'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('✔ 0 sent, 3 skipped, 0 failed');
    expect(again.stderr).toMatch(/skipped clara\.weiss@demo-pharma\.example brand_monthly 2026-10: already sent on 20\d\d-/);
    expect(server.received).toHaveLength(3);
    const report = JSON.parse(readFileSync(join(out, 'delivery-report.json'), 'utf8')) as { entries: Array<{ status: string }> };
    expect(report.entries.map((e) => e.status)).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it('--dry-run decides without sending; --only picks one recipient; bad settings name the variable', async () => {
    const out = join(tempDir('kpiops-send-'), 'outbox');
    const dry = await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '--dry-run', '--only', 'Luca.Bianchi@demo-pharma.example', '-q'], {});
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('dry run: 1 would be sent, 0 skipped');
    const bad = await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '--send', '-q'], { KPIOPS_SMTP_HOST: '127.0.0.1' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('kpiops: KPIOPS_SMTP_FROM is not set (nor --from)');
    const nobody = await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '--dry-run', '--only', 'nobody@example.com', '-q'], {});
    expect(nobody).toMatchObject({ code: 2, stderr: expect.stringContaining('--only nobody@example.com: no rendered scorecard goes to that address') });
  });
});

/** Reads the report and the ledger a failed send left behind. */
function leftBehind(out: string) {
  const report = JSON.parse(readFileSync(join(out, 'delivery-report.json'), 'utf8')) as { summary: string; entries: Array<{ email: string; status: string; reason?: string; attempts?: number }> };
  const ledger = readFileSync(join(out, '..', 'ledger.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { email: string; status: string; response?: string });
  return { report, ledger };
}

describe('kpiops run --send to a server it cannot use', () => {
  // One connection, 2 attempts 10 ms apart: the first lead's message is tried twice, then the
  // server counts as down and the other two fail untried.
  const settings = (port: number, extra: Record<string, string> = {}) => ({
    KPIOPS_SMTP_HOST: '127.0.0.1', KPIOPS_SMTP_PORT: String(port), KPIOPS_SMTP_FROM: 'scorecards@demo-pharma.example',
    KPIOPS_SMTP_ATTEMPTS: '2', KPIOPS_SMTP_BACKOFF_MS: '10', KPIOPS_SMTP_MAX_CONNECTIONS: '1', KPIOPS_SMTP_TIMEOUT_MS: '3000', ...extra,
  });
  const send = async (env: Record<string, string>) => {
    const out = join(tempDir('kpiops-send-'), 'outbox');
    return { ...(await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '--send', '-q'], env)), out };
  };
  const expectReported = (run: { code: number | null; stderr: string; out: string }, where: string, reason: RegExp) => {
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^kpiops: the SMTP server ${where.replace(/\./g, '\\.')} ${reason.source}.*\\(gave up after 2 attempts\\): 3 of 3 recipients not sent, recorded as failed in .*ledger\\.jsonl; the next run sends them$`, 'm'));
    expect(run.stderr).toContain('✖ 0 sent, 0 skipped, 3 failed → ');
    const { report, ledger } = leftBehind(run.out);
    expect(report.entries.map((e) => [e.status, e.attempts])).toEqual([['failed', 2], ['failed', 0], ['failed', 0]]);
    for (const e of report.entries) expect(e.reason).toContain(`the SMTP server ${where} `);
    expect(ledger.map((l) => l.status)).toEqual(['failed', 'failed', 'failed']);
    expect(new Set(ledger.map((l) => l.email))).toEqual(new Set(report.entries.map((e) => e.email)));
  };

  it('nothing listening on the port: exit 1, every recipient reported and recorded as failed, the server named', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    expectReported(await send(settings(port)), `127.0.0.1:${port}`, /could not be reached: connect ECONNREFUSED/);
  });

  it('implicit TLS to a server speaking plain SMTP: the handshake fails; exit 1, reported and recorded', async () => {
    const plain = await startSmtp();
    try {
      expectReported(await send(settings(plain.port, { KPIOPS_SMTP_SECURE: 'true' })), `127.0.0.1:${plain.port}`, /could not be reached: TLS handshake failed: wrong version number/);
      expect(plain.received).toHaveLength(0);
    } finally {
      await plain.close();
    }
  });

  it('wrong credentials: two logins tried, then exit 1, reported and recorded, nothing sent', async () => {
    const guarded = await startSmtp({ login: { user: 'kpiops', pass: 'right' } });
    try {
      expectReported(await send(settings(guarded.port, { KPIOPS_SMTP_USER: 'kpiops', KPIOPS_SMTP_PASSWORD: 'wrong' })), `127.0.0.1:${guarded.port}`, /refused the login of kpiops: .*535/);
      expect(guarded.logins).toEqual(['kpiops', 'kpiops']);
      expect(guarded.received).toHaveLength(0);
    } finally {
      await guarded.close();
    }
  });
});

describe('kpiops run --send with a hostile server', () => {
  it("shows a server's refusal as text: no terminal control reaches stderr, no table break, mention or link reaches the job summary", async () => {
    // The server's reply text is data from outside: ESC/OSC sequences, a CR, a table row, a
    // mention and a link. smtp-server cleans its own replies, so this peer is a raw socket.
    const refusal = 'no \u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\r| x | @org/team https://evil.example';
    const hostile = createServer((socket) => {
      socket.write('220 hostile.example ESMTP\r\n');
      socket.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString('latin1').split('\r\n').filter(Boolean)) {
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'EHLO' || verb === 'HELO') socket.write('250 hostile.example\r\n');
          else if (verb === 'RCPT') socket.write(`550 ${refusal}\r\n`);
          else if (verb === 'QUIT') socket.end('221 bye\r\n');
          else socket.write('250 ok\r\n');
        }
      });
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    const port = (hostile.address() as AddressInfo).port;
    try {
      const out = join(tempDir('kpiops-send-'), 'outbox');
      const summary = join(tempDir('kpiops-summary-'), 'summary.md');
      const run = await kpiops(['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '--send', '-q'], {
        KPIOPS_SMTP_HOST: '127.0.0.1', KPIOPS_SMTP_PORT: String(port), KPIOPS_SMTP_FROM: 'scorecards@demo-pharma.example', KPIOPS_SMTP_BACKOFF_MS: '10', GITHUB_STEP_SUMMARY: summary,
      });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('✖ clara.weiss@demo-pharma.example brand_monthly 2026-10: failed');
      expect(run.stderr).toContain('␛]8;;https://evil.example␇click');
      expect(run.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      const md = readFileSync(summary, 'utf8');
      expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      const rows = md.split('\n').filter((l) => l.startsWith('|'));
      expect(rows).toHaveLength(5); // header, rule, three leads: the reply's "| x |" and CR broke none
      for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(7);
      expect(md).not.toMatch(/@org|https:\/\//); // a word joiner keeps GitHub from mentioning or linking
    } finally {
      await new Promise<void>((resolve) => hostile.close(() => resolve()));
    }
  });
});

describe('kpiops run --send checks its settings first', () => {
  it('lists in --help every SMTP variable it reads', async () => {
    const help = (await kpiops(['run', '--help'])).stdout;
    for (const [name] of SMTP_VARIABLES) expect(help).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(help).toMatch(/--from <address>\s+sender address \(default: \$KPIOPS_SMTP_FROM, else\s+\$KPIOPS_FROM\)/);
  });

  it('refuses bad SMTP settings with exit 2, naming the variable, before it reads the snapshot', async () => {
    const nowhere = join(tempDir('kpiops-none-'), 'no-such-snapshot');
    const run = (env: Record<string, string>) => kpiops(['run', '-p', REPO, '--snapshot', nowhere, '--scorecard', 'brand_monthly', '--send', '-q'], env);
    expect(await run({})).toMatchObject({ code: 2, stderr: 'kpiops: KPIOPS_SMTP_HOST is not set: say which SMTP server to send through\n' });
    expect(await run({ KPIOPS_SMTP_HOST: 'smtp.example.com' })).toMatchObject({ code: 2, stderr: 'kpiops: KPIOPS_SMTP_FROM is not set (nor --from): say which address the scorecards come from\n' });
    expect(await run({ KPIOPS_SMTP_HOST: 'smtp.example.com', KPIOPS_SMTP_FROM: 'a@example.com', KPIOPS_SMTP_PORT: '99999' })).toMatchObject({ code: 2, stderr: 'kpiops: KPIOPS_SMTP_PORT must be a whole number from 1 to 65535 (got "99999")\n' });
    expect(await run({ KPIOPS_SMTP_HOST: 'smtp.example.com', KPIOPS_SMTP_FROM: 'a@example.com', KPIOPS_SMTP_SECURE: 'sometimes' })).toMatchObject({ code: 2, stderr: 'kpiops: KPIOPS_SMTP_SECURE must be true or false (got "sometimes")\n' });
    // --from stands in for KPIOPS_SMTP_FROM; the settings pass, and only then is the missing snapshot found.
    const withFrom = await kpiops(['run', '-p', REPO, '--snapshot', nowhere, '--scorecard', 'brand_monthly', '--send', '--from', 'a@example.com', '-q'], { KPIOPS_SMTP_HOST: 'smtp.example.com' });
    expect(withFrom.code).toBe(1);
    expect(withFrom.stderr).toContain('snapshot.yaml');
  });
});

describe('two runs on one ledger', () => {
  const env = (port: number) => ({ KPIOPS_SMTP_HOST: '127.0.0.1', KPIOPS_SMTP_PORT: String(port), KPIOPS_SMTP_FROM: 'scorecards@demo-pharma.example', KPIOPS_SMTP_BACKOFF_MS: '10' });
  const args = (out: string, ...more: string[]) => ['run', '-p', REPO, '--snapshot', sample, '--scorecard', 'brand_monthly', '--out', out, '--ledger', join(out, '..', 'ledger.jsonl'), '--send', '-q', ...more];

  it('started together, they send each recipient exactly once: the second waits for the first, then finds nothing owed', async () => {
    // A slow server (0.8 s per reply) keeps the first run sending while the second is ready to.
    const slow = await startSmtp({ replyDelayMs: 800 });
    try {
      const out = join(tempDir('kpiops-twice-'), 'outbox');
      const [a, b] = await Promise.all([kpiops(args(out), env(slow.port)), kpiops(args(out), env(slow.port))]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      for (const lead of ['clara.weiss', 'luca.bianchi', 'ines.navarro']) expect(slow.countFor(`${lead}@demo-pharma.example`), lead).toBe(1);
      // 3 + 0 sent, 0 + 3 skipped, whichever run came first.
      expect([a.stderr, b.stderr].filter((e) => e.includes('✔ 3 sent, 0 skipped, 0 failed'))).toHaveLength(1);
      expect([a.stderr, b.stderr].filter((e) => e.includes('✔ 0 sent, 3 skipped, 0 failed'))).toHaveLength(1);
      expect(existsSync(join(out, '..', 'ledger.jsonl.lock'))).toBe(false);
    } finally {
      await slow.close();
    }
  }, 60_000);

  it('a lock held by a live run makes the next one give up after --ledger-wait, naming the lock file and its pid, sending nothing', async () => {
    const out = join(tempDir('kpiops-locked-'), 'outbox');
    const lockFile = join(out, '..', 'ledger.jsonl.lock');
    mkdirSync(out, { recursive: true });
    // This test process is alive, on this host: its lock is not stale.
    writeFileSync(lockFile, JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-11-04T05:17:00.000Z', token: 'held' }));
    const before = server.received.length;
    const run = await kpiops(args(out, '--ledger-wait', '1'), env(server.port));
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`kpiops: waiting for ${lockFile}: another run (pid ${process.pid} on ${hostname()}, since 2026-11-04T05:17:00.000Z) is sending with this ledger`);
    expect(run.stderr).toContain(`kpiops: ${lockFile} is still held by another run (pid ${process.pid} on ${hostname()}, since 2026-11-04T05:17:00.000Z) after 1 s; nothing was sent. If no kpiops runs there any more, delete the lock file.`);
    expect(server.received).toHaveLength(before);
    expect(readFileSync(lockFile, 'utf8')).toContain('"token":"held"');
  });

  it('a lock left by a run that died is taken over: the next run sends', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // a pid that has exited
    const quiet = await startSmtp();
    try {
      const out = join(tempDir('kpiops-stale-'), 'outbox');
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, '..', 'ledger.jsonl.lock'), JSON.stringify({ pid: dead, host: hostname(), since: '2026-11-04T05:17:00.000Z', token: 'dead' }));
      const run = await kpiops(args(out), env(quiet.port));
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('✔ 3 sent, 0 skipped, 0 failed');
      expect(run.stderr).not.toContain('waiting for');
      expect(quiet.received).toHaveLength(3);
    } finally {
      await quiet.close();
    }
  });
});
