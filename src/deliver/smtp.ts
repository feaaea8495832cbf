import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Ledger, LedgerEntry } from './ledger.js';

export interface SmtpConfig {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (port 465). */
  secure: boolean;
  /** Refuse to send unless the server upgrades the connection with STARTTLS. */
  requireTLS: boolean;
  user?: string;
  password?: string;
  /** The sender address (header From and envelope sender). */
  from: string;
  replyTo?: string;
  listUnsubscribe?: string;
  maxConnections: number;
  /** Messages per second across the pool (0: no limit). */
  rateLimit: number;
  /** How long to wait for the server at each step, in ms. */
  timeoutMs: number;
  /** Attempts per message for temporary failures (4xx replies, connection errors, timeouts before the data went out). */
  attempts: number;
  /** The first wait between attempts, in ms; it doubles each time. */
  backoffMs: number;
  /** Accept a self-signed certificate (a local test server). */
  allowSelfSigned?: boolean;
}

const ENV = 'KPIOPS_SMTP_';

/**
 * SMTP settings from the environment (secrets stay out of files): KPIOPS_SMTP_HOST, _PORT,
 * _SECURE (true for implicit TLS), _STARTTLS (true to require it), _USER, _PASSWORD,
 * _FROM, _REPLY_TO, _LIST_UNSUBSCRIBE, _MAX_CONNECTIONS, _RATE (messages per second),
 * _TIMEOUT_MS, _ATTEMPTS, _BACKOFF_MS. Returns the problem, naming the variable, when one is
 * missing or malformed.
 */
export function smtpConfigFromEnv(env: NodeJS.ProcessEnv): SmtpConfig | { problem: string } {
  const get = (name: string) => env[`${ENV}${name}`]?.trim() || undefined;
  const host = get('HOST');
  if (!host) return { problem: `${ENV}HOST is not set: say which SMTP server to send through` };
  const from = get('FROM');
  if (!from) return { problem: `${ENV}FROM is not set: say which address the scorecards come from` };
  const numbers: Record<string, [string, number, number, number]> = {
    port: ['PORT', 587, 1, 65535], maxConnections: ['MAX_CONNECTIONS', 3, 1, 50], rateLimit: ['RATE', 10, 0, 10_000],
    timeoutMs: ['TIMEOUT_MS', 60_000, 100, 600_000], attempts: ['ATTEMPTS', 4, 1, 20], backoffMs: ['BACKOFF_MS', 2000, 0, 600_000],
  };
  const parsed: Record<string, number> = {};
  for (const [field, [name, fallback, min, max]] of Object.entries(numbers)) {
    const text = get(name);
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isInteger(value) || value < min || value > max) return { problem: `${ENV}${name} must be a whole number from ${min} to ${max} (got "${text}")` };
    parsed[field] = value;
  }
  const flag = (name: string) => {
    const text = get(name);
    if (text === undefined) return undefined;
    if (!/^(true|false|1|0|yes|no)$/i.test(text)) return `${ENV}${name} must be true or false (got "${text}")`;
    return /^(true|1|yes)$/i.test(text);
  };
  const secure = flag('SECURE');
  const starttls = flag('STARTTLS');
  for (const f of [secure, starttls]) if (typeof f === 'string') return { problem: f };
  const user = get('USER');
  const password = get('PASSWORD');
  if (Boolean(user) !== Boolean(password)) return { problem: `${ENV}USER and ${ENV}PASSWORD go together: set both or neither` };
  const replyTo = get('REPLY_TO');
  const listUnsubscribe = get('LIST_UNSUBSCRIBE');
  return {
    host, from, secure: (secure as boolean | undefined) ?? parsed.port === 465, requireTLS: (starttls as boolean | undefined) ?? false,
    ...(user ? { user, password: password! } : {}), ...(replyTo ? { replyTo } : {}), ...(listUnsubscribe ? { listUnsubscribe } : {}),
    port: parsed.port!, maxConnections: parsed.maxConnections!, rateLimit: parsed.rateLimit!, timeoutMs: parsed.timeoutMs!,
    attempts: parsed.attempts!, backoffMs: parsed.backoffMs!,
  };
}

/** One message ready to go: the .eml bytes from the outbox and what the ledger keys it by. */
export interface Outgoing {
  scorecard: string;
  period: string;
  email: string;
  eml: Buffer;
  messageId: string;
  contentHash: string;
  valuesHash: string;
  statusHash: string;
  /** The earlier delivery of this very message was uncertain: this is the resend. */
  resend?: boolean;
}

export interface Outcome {
  scorecard: string;
  period: string;
  email: string;
  status: 'sent' | 'unknown' | 'failed';
  attempts: number;
  response?: string;
  resend?: boolean;
}

interface SendError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One SMTP connection, opened on first use and again after any failure. */
class Connection {
  private conn: SMTPConnection | undefined;
  private broken = false;
  private sent = 0;

  constructor(private readonly config: SmtpConfig) {}

  private async open(): Promise<SMTPConnection> {
    const c = this.config;
    const conn = new SMTPConnection({
      host: c.host, port: c.port, secure: c.secure, requireTLS: c.requireTLS,
      connectionTimeout: c.timeoutMs, greetingTimeout: c.timeoutMs, socketTimeout: c.timeoutMs, dnsTimeout: c.timeoutMs,
      ...(c.allowSelfSigned ? { tls: { rejectUnauthorized: false } } : {}),
    });
    conn.on('error', () => { this.broken = true; });
    conn.on('end', () => { this.broken = true; });
    this.broken = false;
    this.sent = 0;
    await new Promise<void>((resolve, reject) => conn.connect((err?: Error) => (err ? reject(err) : resolve())));
    if (c.user) await new Promise<void>((resolve, reject) => conn.login({ user: c.user!, pass: c.password! }, (err?: Error | null) => (err ? reject(err) : resolve())));
    return conn;
  }

  /** Sends one message; `onData` is told when the message data starts going out (after the server's 354). */
  async send(from: string, to: string, eml: Buffer, onData: () => void, onDataSent: () => void): Promise<string> {
    if (!this.conn || this.broken || this.sent >= 100) {
      this.close();
      this.conn = await this.open();
    }
    const conn = this.conn;
    // The message as a stream: SMTP reads it only once the server has said 354 to DATA, and it
    // ends when the last byte (and so the closing dot) has been handed to the socket.
    let started = false;
    const body = new Readable({
      read() {
        if (started) return;
        started = true;
        onData();
        this.push(eml);
        this.push(null);
      },
    }).on('end', onDataSent);
    try {
      const info = await new Promise<SMTPConnection.SentMessageInfo>((resolve, reject) => conn.send({ from, to: [to] }, body, (err, result) => (err ? reject(err) : resolve(result))));
      this.sent += 1;
      return String(info.response ?? '');
    } catch (error) {
      this.broken = true; // a fresh connection for whatever comes next
      throw error;
    }
  }

  close(): void {
    const conn = this.conn;
    this.conn = undefined;
    if (!conn) return;
    try {
      if (this.broken) conn.close();
      else conn.quit();
    } catch {
      // already gone
    }
  }
}

/**
 * Sends each message once, through a few SMTP connections, recording every outcome in the
 * ledger as soon as it is known (at most one message per connection is in flight):
 * - a 2xx reply: sent;
 * - a 5xx reply: failed, never retried (the server will not take it);
 * - a 4xx reply, a refused or dropped connection, or a timeout before the message data went
 *   out: tried again after a growing wait, up to the configured attempts;
 * - the connection lost or timed out after the data went out but before the reply: the server
 *   may have it, so it is recorded as `unknown` and not retried now; a later run resends it
 *   with the same Message-ID, which mail systems use to drop duplicates.
 */
export async function deliver(messages: readonly Outgoing[], config: SmtpConfig, ledger: Ledger, onOutcome?: (o: Outcome) => void): Promise<Outcome[]> {
  const envelopeFrom = /<([^>]+)>/.exec(config.from)?.[1] ?? config.from;
  const outcomes: Outcome[] = [];
  // Rate limit across connections: send starts are spaced by 1/rate seconds.
  let nextStart = 0;
  const pace = async () => {
    if (config.rateLimit <= 0) return;
    const now = Date.now();
    const at = Math.max(now, nextStart);
    nextStart = at + 1000 / config.rateLimit;
    if (at > now) await sleep(at - now);
  };
  const sendOne = async (connection: Connection, m: Outgoing): Promise<Outcome> => {
    for (let attempt = 1; ; attempt++) {
      let dataSent = false;
      await pace();
      const base = { scorecard: m.scorecard, period: m.period, email: m.email, attempts: attempt, ...(m.resend ? { resend: true } : {}) };
      try {
        const response = await connection.send(envelopeFrom, m.email, m.eml, () => {}, () => { dataSent = true; });
        return { ...base, status: 'sent', response };
      } catch (error) {
        const e = error as SendError;
        const response = (e.response ?? e.message).trim();
        const code = e.responseCode;
        if (code !== undefined && code >= 500) return { ...base, status: 'failed', response };
        if (code === undefined && dataSent) return { ...base, status: 'unknown', response: `${response} (after the message data was sent, before the server's reply)` };
        if (attempt >= config.attempts) return { ...base, status: 'failed', response: `${response} (gave up after ${attempt} attempts)` };
        await sleep(config.backoffMs * 2 ** (attempt - 1));
      }
    }
  };
  const queue = [...messages];
  const workers = Array.from({ length: Math.min(config.maxConnections, queue.length) }, async () => {
    const connection = new Connection(config);
    try {
      for (let m = queue.shift(); m; m = queue.shift()) {
        const outcome = await sendOne(connection, m);
        const entry: LedgerEntry = {
          scorecard: m.scorecard, period: m.period, email: m.email, content_hash: m.contentHash, values_hash: m.valuesHash, status_hash: m.statusHash,
          message_id: m.messageId, status: outcome.status, at: new Date().toISOString(), ...(outcome.response ? { response: outcome.response } : {}),
        };
        ledger.record(entry);
        outcomes.push(outcome);
        onOutcome?.(outcome);
      }
    } finally {
      connection.close();
    }
  });
  await Promise.all(workers);
  return outcomes;
}
