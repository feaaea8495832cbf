import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** What the server does with one recipient's message once its data has arrived. */
export type AfterData = 'accept' | 'drop' | 'hang';

export interface Faults {
  /** A reply to RCPT TO instead of accepting, by recipient and attempt (1-based). */
  rcpt?: (email: string, attempt: number) => { code: number; message: string } | undefined;
  /** After the data: accept (250), drop the connection before replying, or never reply. */
  afterData?: (email: string, count: number) => AfterData;
  /** Close the connection right after replying 250 to this many messages (once). */
  dropAfterMessages?: number;
  /** Wait this long after the data before replying 250 (a slow server). */
  replyDelayMs?: number;
  /** Require a login, and accept only this one. */
  login?: { user: string; pass: string };
  /** Speak TLS from the first byte (smtp-server's own self-signed certificate). */
  secure?: boolean;
}

export interface Received {
  email: string;
  raw: Buffer;
  messageId: string;
}

/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) with faults on demand. It
 * records every message whose data it received, whatever it then answered: that is what a
 * mailbox may end up holding, so "sent twice" is counted here, on the server's side.
 */
export async function startSmtp(faults: Faults = {}) {
  const received: Received[] = [];
  const rcptAttempts = new Map<string, number>();
  let accepted = 0;
  let dropped = false;
  const logins: string[] = [];
  let connections = 0;
  const server: SMTPServer = new SMTPServer({
    authOptional: !faults.login,
    allowInsecureAuth: true,
    secure: Boolean(faults.secure),
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 200,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      logins.push(auth.username ?? '');
      if (faults.login && auth.username === faults.login.user && auth.password === faults.login.pass) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const email = address.address.toLowerCase();
      const attempt = (rcptAttempts.get(email) ?? 0) + 1;
      rcptAttempts.set(email, attempt);
      const reply = faults.rcpt?.(email, attempt);
      if (reply) return callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
      callback();
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw.toString('latin1'))?.[1] ?? '';
        const emails = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        for (const email of emails) received.push({ email, raw, messageId });
        const what = faults.afterData?.(emails[0]!, received.filter((r) => r.email === emails[0]).length) ?? 'accept';
        const connection = [...(server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections].find((c) => c.id === session.id);
        if (what === 'drop') return connection?._socket.destroy();
        if (what === 'hang') return;
        if (faults.replyDelayMs) {
          setTimeout(() => callback(null, 'Queued'), faults.replyDelayMs);
          return;
        }
        callback(null, 'Queued');
        accepted += 1;
        if (faults.dropAfterMessages !== undefined && !dropped && accepted === faults.dropAfterMessages) {
          dropped = true;
          // Right behind the 250: the client sees the reply, then the connection close, before its next command.
          (connection?._socket as unknown as { end(): void } | undefined)?.end();
        }
      });
    },
  });
  // A client that gives up on the TLS handshake is the server's error too: expected here, not a crash.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const countFor = (email: string) => received.filter((r) => r.email === email.toLowerCase()).length;
  return {
    port,
    received,
    rcptAttempts,
    countFor,
    /** Usernames of every login attempt, accepted or not. */
    logins,
    /** Connections the server accepted (TLS handshakes included, whether they succeeded or not). */
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
