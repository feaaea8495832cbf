// `npm run bench` (fifth part): 2,000 recipients' scorecards through kpiops' SMTP delivery
// (5 connections, ledger written after every outcome) to a real SMTP server on 127.0.0.1
// (the smtp-server package, which parses every message). Baseline in the same run: the
// same messages through nodemailer's own pooled transport with no ledger.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { Ledger } from '../dist/deliver/ledger.js';
import { deliver } from '../dist/deliver/smtp.js';

const N = Number(process.env.BENCH_RECIPIENTS ?? 2000);
const CONNECTIONS = 5;
let received = 0;
const server = new SMTPServer({
  authOptional: true, disabledCommands: ['STARTTLS'], logger: false, closeTimeout: 100,
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => { received += 1; callback(null, 'Queued'); });
  },
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.server.address().port;

// A scorecard-sized message (~80 KB: HTML, text and a dozen small PNGs), one per recipient.
const body = (i) => Buffer.from([
  'From: kpiops <scorecards@demo-pharma.example>', `To: rep${i}@demo-pharma.example`, `Subject: Your territory this week ${i}`,
  `Message-ID: <rep_weekly.2026-W43.${i}@demo-pharma.example>`, 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64', '',
  Buffer.alloc(60 * 1024, `<p>row ${i}</p>`).toString('base64').replace(/.{76}/g, '$&\r\n'), '',
].join('\r\n'));
const messages = Array.from({ length: N }, (_, i) => ({
  scorecard: 'rep_weekly', period: '2026-W43', email: `rep${i}@demo-pharma.example`, eml: body(i), messageId: `<rep_weekly.2026-W43.${i}@demo-pharma.example>`,
  contentHash: `c${i}`, valuesHash: `v${i}`, statusHash: `s${i}`,
}));
const rssBefore = Math.round(process.memoryUsage().rss / 1e6);

const dir = mkdtempSync(join(tmpdir(), 'kpiops-deliver-bench-'));
let t = performance.now();
const outcomes = await deliver(messages, { host: '127.0.0.1', port, secure: false, requireTLS: false, from: 'kpiops <scorecards@demo-pharma.example>', maxConnections: CONNECTIONS, rateLimit: 0, timeoutMs: 30_000, attempts: 3, backoffMs: 100 }, Ledger.open(join(dir, 'ledger.jsonl')));
const kpiopsMs = performance.now() - t;
const peak = Math.round(process.resourceUsage().maxRSS / 1024);
const sent = outcomes.filter((o) => o.status === 'sent').length;
const serverCount = received;

received = 0;
const transport = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port, secure: false, ignoreTLS: true, maxConnections: CONNECTIONS, maxMessages: 100 });
t = performance.now();
await Promise.all(messages.map((m) => transport.sendMail({ envelope: { from: 'scorecards@demo-pharma.example', to: [m.email] }, raw: m.eml })));
const poolMs = performance.now() - t;
transport.close();
await new Promise((r) => server.close(r));
rmSync(dir, { recursive: true, force: true });

console.log(`\nkpiops delivery: ${N.toLocaleString('en-US')} scorecards (~${Math.round(messages[0].eml.length / 1024)} KB each) to a local SMTP server, ${CONNECTIONS} connections`);
console.log(`  baseline: nodemailer pooled transport, no ledger   ${(poolMs / 1000).toFixed(1).padStart(6)} s   ${(N / (poolMs / 1000)).toFixed(0)} messages/s`);
console.log(`  kpiops deliver (ledger fsynced per outcome)        ${(kpiopsMs / 1000).toFixed(1).padStart(6)} s   ${(N / (kpiopsMs / 1000)).toFixed(0)} messages/s   ${(kpiopsMs / poolMs).toFixed(2)}× the baseline`);
console.log(`  sent ${sent} of ${N}; the server received ${serverCount}; peak RSS ${peak} MB (${rssBefore} MB with the messages built)`);
if (sent !== N || serverCount !== N) process.exitCode = 1;
