import type { Sender } from './compose.js';
/** How kpiops reaches the SMTP server, read from KPIOPS_SMTP_* variables (secrets stay out of files). */
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

export const SMTP_ENV = 'KPIOPS_SMTP_';

const NUMBERS = {
  port: { name: 'PORT', fallback: 587, min: 1, max: 65535 },
  maxConnections: { name: 'MAX_CONNECTIONS', fallback: 3, min: 1, max: 50 },
  rateLimit: { name: 'RATE', fallback: 10, min: 0, max: 10_000 },
  timeoutMs: { name: 'TIMEOUT_MS', fallback: 60_000, min: 100, max: 600_000 },
  attempts: { name: 'ATTEMPTS', fallback: 4, min: 1, max: 20 },
  backoffMs: { name: 'BACKOFF_MS', fallback: 2000, min: 0, max: 600_000 },
} as const;

/**
 * Every variable `kpiops run --send` reads, with what it means: the one list the parser,
 * `--help` and the README agree on (a test checks the README).
 */
export const SMTP_VARIABLES: ReadonlyArray<readonly [string, string]> = ([
  ['HOST', 'the SMTP server (required)'],
  ['FROM', 'the sender address (required unless --from is given)'],
  ['PORT', 'port, 587 by default'],
  ['SECURE', 'true for implicit TLS (the default on port 465)'],
  ['STARTTLS', 'true to refuse sending unless the server upgrades to TLS'],
  ['USER', 'login name (with _PASSWORD)'],
  ['PASSWORD', 'password (with _USER)'],
  ['REPLY_TO', 'Reply-To address'],
  ['LIST_UNSUBSCRIBE', 'List-Unsubscribe target (mailto: or https:)'],
  ['MAX_CONNECTIONS', 'connections at once, 3 by default'],
  ['RATE', 'messages per second, 10 by default (0: no limit)'],
  ['TIMEOUT_MS', 'wait for the server at each step, 60000 by default'],
  ['ATTEMPTS', 'attempts per message for temporary failures, 4 by default'],
  ['BACKOFF_MS', 'first wait between attempts, doubling, 2000 by default'],
  ['ALLOW_SELF_SIGNED', 'true to accept a self-signed certificate (a test server)'],
] as const).map(([name, meaning]) => [`${SMTP_ENV}${name}`, meaning] as const);

const FLAG = /^(true|false|1|0|yes|no)$/i;

/**
 * SMTP settings from the environment. `from` (the `--from` option) wins over
 * KPIOPS_SMTP_FROM. Returns the problem, naming the variable, when one is missing or
 * malformed, so `run --send` can refuse before it evaluates anything.
 */
export function smtpConfigFromEnv(env: NodeJS.ProcessEnv, fromOption?: string): SmtpConfig | { problem: string } {
  const get = (name: string) => env[`${SMTP_ENV}${name}`]?.trim() || undefined;
  const host = get('HOST');
  if (!host) return { problem: `${SMTP_ENV}HOST is not set: say which SMTP server to send through` };
  const from = fromOption?.trim() || get('FROM');
  if (!from) return { problem: `${SMTP_ENV}FROM is not set (nor --from): say which address the scorecards come from` };
  const parsed: Partial<Record<keyof typeof NUMBERS, number>> = {};
  for (const [field, { name, fallback, min, max }] of Object.entries(NUMBERS) as Array<[keyof typeof NUMBERS, (typeof NUMBERS)[keyof typeof NUMBERS]]>) {
    const text = get(name);
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isInteger(value) || value < min || value > max) return { problem: `${SMTP_ENV}${name} must be a whole number from ${min} to ${max} (got "${text}")` };
    parsed[field] = value;
  }
  const flags: Record<string, boolean | undefined> = {};
  for (const name of ['SECURE', 'STARTTLS', 'ALLOW_SELF_SIGNED']) {
    const text = get(name);
    if (text !== undefined && !FLAG.test(text)) return { problem: `${SMTP_ENV}${name} must be true or false (got "${text}")` };
    flags[name] = text === undefined ? undefined : /^(true|1|yes)$/i.test(text);
  }
  const user = get('USER');
  const password = get('PASSWORD');
  if (Boolean(user) !== Boolean(password)) return { problem: `${SMTP_ENV}USER and ${SMTP_ENV}PASSWORD go together: set both or neither` };
  const replyTo = get('REPLY_TO');
  const listUnsubscribe = get('LIST_UNSUBSCRIBE');
  return {
    host, from, secure: flags.SECURE ?? parsed.port === 465, requireTLS: flags.STARTTLS ?? false,
    ...(user ? { user, password: password! } : {}), ...(replyTo ? { replyTo } : {}), ...(listUnsubscribe ? { listUnsubscribe } : {}),
    ...(flags.ALLOW_SELF_SIGNED ? { allowSelfSigned: true } : {}),
    port: parsed.port!, maxConnections: parsed.maxConnections!, rateLimit: parsed.rateLimit!, timeoutMs: parsed.timeoutMs!,
    attempts: parsed.attempts!, backoffMs: parsed.backoffMs!,
  };
}

/** The sender settings for composing: SMTP's From when sending, else the outbox default. */
export function senderOf(env: NodeJS.ProcessEnv, from?: string): Sender {
  const replyTo = env.KPIOPS_SMTP_REPLY_TO?.trim();
  const listUnsubscribe = env.KPIOPS_SMTP_LIST_UNSUBSCRIBE?.trim();
  return {
    from: from ?? (env.KPIOPS_SMTP_FROM?.trim() || env.KPIOPS_FROM?.trim() || 'kpiops <scorecards@kpiops.invalid>'),
    ...(replyTo ? { replyTo } : {}), ...(listUnsubscribe ? { listUnsubscribe } : {}),
  };
}
