import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { withDate } from './date-header.js';
import type { Ledger, LedgerEntry } from './ledger.js';
import type { SmtpConfig } from './smtp-settings.js';

export { smtpConfigFromEnv, type SmtpConfig } from './smtp-settings.js';

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
  /** Set when it failed because the server (host:port) could not be reached or refused the login. */
  unreachable?: string;
}

interface SendError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The server could not be reached, or would not let kpiops in (refused connection, DNS,
 * TLS handshake, timeout, rejected login): nothing was said about any message yet, so it
 * is always safe to try again.
 */
export class ServerUnreachable extends Error {
  constructor(readonly where: string, readonly reason: string) {
    super(`the SMTP server ${where} ${reason}`);
  }
}

/**
 * Runs one step of the SMTP session (connect, login) to its end. nodemailer calls back only
 * on success for `connect` (a refused connection, a DNS or TLS failure arrive as an 'error'
 * event instead), and a connection lost during login may never call back: both events end
 * the step here, so no failure leaves the promise, and the run, waiting forever.
 */
function step(conn: SMTPConnection, start: (done: (err?: Error | null) => void) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error | null) => {
      if (settled) return;
      settled = true;
      conn.off('error', finish);
      conn.off('end', closed);
      if (err) reject(err);
      else resolve();
    };
    const closed = () => finish(new Error('the server closed the connection'));
    conn.once('error', finish);
    conn.once('end', closed);
    start(finish);
  });
}

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
    const where = `${c.host}:${c.port}`;
    const reason = (e: unknown) => {
      const message = String((e as SendError).message ?? e).trim();
      // OpenSSL's own text ("8070…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:…") says little besides its reason.
      const openssl = /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1];
      if (openssl) return `TLS handshake failed: ${openssl} (is it the right port for ${c.secure ? 'implicit TLS' : 'STARTTLS'}?)`;
      return /certificate|self[- ]signed/i.test(message) ? `TLS handshake failed: ${message}` : message;
    };
    try {
      await step(conn, (done) => conn.connect(done));
    } catch (e) {
      conn.close();
      throw new ServerUnreachable(where, `could not be reached: ${reason(e)}`);
    }
    if (c.user) {
      try {
        await step(conn, (done) => conn.login({ user: c.user!, pass: c.password! }, done));
      } catch (e) {
        conn.close();
        throw new ServerUnreachable(where, `refused the login of ${c.user}: ${reason(e)}`);
      }
    }
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
 *   with the same Message-ID, which mail systems use to drop duplicates;
 * - the server cannot be reached or refuses the login: tried again like a 4xx; once one
 *   message has used up its attempts that way, the server is taken to be down and every
 *   message still waiting fails at once with the same reason (`unreachable` on its
 *   outcome), rather than each one waiting through its own attempts.
 * Each attempt stamps the message's Date header with the time it is handed to the server.
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
  let down: ServerUnreachable | undefined;
  const sendOne = async (connection: Connection, m: Outgoing): Promise<Outcome> => {
    for (let attempt = 1; ; attempt++) {
      const base = { scorecard: m.scorecard, period: m.period, email: m.email, attempts: attempt, ...(m.resend ? { resend: true } : {}) };
      if (down) return { ...base, attempts: attempt - 1, status: 'failed', response: `not sent: ${down.message}`, unreachable: down.where };
      let dataSent = false;
      await pace();
      try {
        const response = await connection.send(envelopeFrom, m.email, withDate(m.eml, new Date()), () => {}, () => { dataSent = true; });
        return { ...base, status: 'sent', response };
      } catch (error) {
        if (error instanceof ServerUnreachable) {
          if (attempt >= config.attempts) {
            down ??= error;
            return { ...base, status: 'failed', response: `not sent: ${error.message} (gave up after ${attempt} attempts)`, unreachable: error.where };
          }
          await sleep(config.backoffMs * 2 ** (attempt - 1));
          continue;
        }
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
